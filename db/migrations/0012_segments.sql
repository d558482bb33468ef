CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`filters` text NOT NULL,
	`created_at` integer NOT NULL
);--> statement-breakpoint
DROP INDEX `purchases_customer_idx`;--> statement-breakpoint
CREATE INDEX `purchases_customer_idx` ON `purchases` (`customer_id`,`purchased_at`,`total_cents`);