CREATE TABLE `flow_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`flow_id` text NOT NULL,
	`flow_hash` text NOT NULL,
	`customer_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`purchase_id` integer,
	`status` text NOT NULL,
	`step_id` text,
	`wake_at` integer,
	`state` text NOT NULL,
	`end_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flow_runs_occurrence_unique` ON `flow_runs` (`customer_id`,`flow_id`,`occurrence`);--> statement-breakpoint
CREATE INDEX `flow_runs_due_idx` ON `flow_runs` (`wake_at`) WHERE "flow_runs"."status" = 'waiting';--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`flow_id` text NOT NULL,
	`hash` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`first_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flow_versions_pk` ON `flow_versions` (`flow_id`,`hash`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedupe_key` text NOT NULL,
	`run_id` integer,
	`step_id` text,
	`customer_id` integer,
	`purpose` text NOT NULL,
	`to_phone` text NOT NULL,
	`marketing` integer NOT NULL,
	`content` text NOT NULL,
	`wa_id` text NOT NULL,
	`status` text NOT NULL,
	`due_at` integer NOT NULL,
	`not_before` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`claimed_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`run_id`) REFERENCES `flow_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_unique` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_wa_id_unique` ON `outbox` (`wa_id`);--> statement-breakpoint
CREATE INDEX `outbox_queue_idx` ON `outbox` (`not_before`,`id`) WHERE "outbox"."status" = 'queued';--> statement-breakpoint
CREATE INDEX `outbox_sending_idx` ON `outbox` (`status`) WHERE "outbox"."status" IN ('sending', 'unknown');--> statement-breakpoint
CREATE INDEX `outbox_finished_idx` ON `outbox` (`purpose`,`finished_at`) WHERE "outbox"."status" = 'sent';--> statement-breakpoint
CREATE TABLE `scheduler_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `last_purchase_at` integer;--> statement-breakpoint
CREATE INDEX `customers_birthday_day_idx` ON `customers` (substr("birthday", -5)) WHERE "customers"."birthday" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_last_purchase_idx` ON `customers` (`last_purchase_at`);