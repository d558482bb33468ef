PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_webhook_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`topic` text NOT NULL,
	`order_ref` text,
	`received_at` integer NOT NULL,
	`body` text,
	`status` text NOT NULL,
	`reason` text,
	`purchase_id` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_webhook_events`("id", "platform", "topic", "order_ref", "received_at", "body", "status", "reason", "purchase_id", "attempts", "next_attempt_at", "finished_at") SELECT "id", "platform", "topic", "order_ref", "received_at", "body", "status", "reason", "purchase_id", "attempts", "next_attempt_at", "finished_at" FROM `webhook_events`;--> statement-breakpoint
-- The rebuilt table goes on numbering where the old one was (ids of erased rows are not given again).
DELETE FROM sqlite_sequence WHERE name = '__new_webhook_events';--> statement-breakpoint
INSERT INTO sqlite_sequence (name, seq) SELECT '__new_webhook_events', seq FROM sqlite_sequence WHERE name = 'webhook_events';--> statement-breakpoint
DROP TABLE `webhook_events`;--> statement-breakpoint
ALTER TABLE `__new_webhook_events` RENAME TO `webhook_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `webhook_events_platform_idx` ON `webhook_events` (`platform`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_due_idx` ON `webhook_events` (`next_attempt_at`) WHERE "webhook_events"."status" IN ('pending', 'retrying');--> statement-breakpoint
-- The bodies of webhooks that already are purchases are no longer kept.
UPDATE `webhook_events` SET `body` = NULL WHERE `status` IN ('recorded', 'duplicate');
