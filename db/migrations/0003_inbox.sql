CREATE TABLE `answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`run_id` integer,
	`step_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`comment` text,
	`message_wa_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `flow_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `answers_customer_idx` ON `answers` (`customer_id`,`at`);--> statement-breakpoint
CREATE INDEX `answers_run_idx` ON `answers` (`run_id`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`referrer_customer_id` integer NOT NULL,
	`name` text,
	`phone` text NOT NULL,
	`answer_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`referrer_customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_referrer_phone_unique` ON `referrals` (`referrer_customer_id`,`phone`);