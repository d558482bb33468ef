CREATE TABLE `campaign_recipients` (
	`campaign_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`variant` text,
	`run_id` integer,
	`excluded` text,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `flow_runs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "campaign_recipients_enrolled_or_excluded" CHECK(("campaign_recipients"."variant" IS NULL) = ("campaign_recipients"."excluded" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_recipients_pk` ON `campaign_recipients` (`campaign_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `campaign_recipients_run_idx` ON `campaign_recipients` (`run_id`) WHERE "campaign_recipients"."run_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`segment_id` text NOT NULL,
	`variants` text NOT NULL,
	`send_at` integer NOT NULL,
	`seed` integer NOT NULL,
	`attribution_days` integer DEFAULT 7 NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`cancelled_at` integer
);
