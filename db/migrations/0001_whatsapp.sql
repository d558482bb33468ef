CREATE TABLE `whatsapp_creds` (
	`id` integer PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `whatsapp_keys` (
	`type` text NOT NULL,
	`id` text NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `whatsapp_keys_type_id` ON `whatsapp_keys` (`type`,`id`);--> statement-breakpoint
CREATE TABLE `whatsapp_lids` (
	`lid` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `whatsapp_sent` (
	`wa_id` text PRIMARY KEY NOT NULL,
	`jid` text NOT NULL,
	`message` text NOT NULL,
	`is_poll` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `whatsapp_sent_created_at_idx` ON `whatsapp_sent` (`created_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `whatsapp_jid` text;