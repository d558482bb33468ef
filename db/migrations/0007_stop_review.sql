ALTER TABLE `customers` ADD `stop_review_at` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `stop_review_text` text;