CREATE TABLE `webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`topic` text NOT NULL,
	`order_ref` text,
	`received_at` integer NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`purchase_id` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `webhook_events_platform_idx` ON `webhook_events` (`platform`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_due_idx` ON `webhook_events` (`next_attempt_at`) WHERE "webhook_events"."status" IN ('pending', 'retrying');