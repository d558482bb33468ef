CREATE TABLE `pending_purchases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`input` text NOT NULL,
	`created_at` integer NOT NULL,
	`claimed_at` integer,
	`purchase_id` integer,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `warm_at` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `cold_refused_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `contact` text;--> statement-breakpoint
CREATE INDEX `outbox_contact_idx` ON `outbox` (`contact`,`finished_at`) WHERE "outbox"."contact" IS NOT NULL;--> statement-breakpoint
-- A customer who already wrote to the shop is warm since their first message.
UPDATE `customers` SET `warm_at` = (
	SELECT min(`created_at`) FROM `messages` WHERE `messages`.`customer_id` = `customers`.`id` AND `messages`.`direction` = 'in'
) WHERE `erased_at` IS NULL;
