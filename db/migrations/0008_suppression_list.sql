CREATE TABLE `suppressions` (
	`hash` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `suppressed_at` integer;