CREATE TABLE `consent_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`state` text NOT NULL,
	`at` integer NOT NULL,
	`source` text NOT NULL,
	`text` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `consent_events_customer_idx` ON `consent_events` (`customer_id`,`at`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`phone` text,
	`name` text,
	`birthday` text,
	`email` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`consent_marketing` text DEFAULT 'unknown' NOT NULL,
	`consent_at` integer,
	`consent_source` text,
	`consent_text` text,
	`opted_out_at` integer,
	`handoff_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`erased_at` integer,
	`erased_stats` text,
	CONSTRAINT "customers_erased_has_no_phone" CHECK("customers"."erased_at" IS NULL OR "customers"."phone" IS NULL),
	CONSTRAINT "customers_live_has_phone" CHECK("customers"."erased_at" IS NOT NULL OR "customers"."phone" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_phone_unique` ON `customers` (`phone`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer,
	`direction` text NOT NULL,
	`wa_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text,
	`payload` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`error` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_wa_id_unique` ON `messages` (`wa_id`);--> statement-breakpoint
CREATE INDEX `messages_customer_idx` ON `messages` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_created_at_idx` ON `messages` (`created_at`);--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`external_id` text,
	`items` text NOT NULL,
	`total_cents` integer,
	`currency` text NOT NULL,
	`source` text NOT NULL,
	`purchased_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "purchases_total_not_negative" CHECK("purchases"."total_cents" IS NULL OR "purchases"."total_cents" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_external_id_unique` ON `purchases` (`external_id`);--> statement-breakpoint
CREATE INDEX `purchases_customer_idx` ON `purchases` (`customer_id`,`purchased_at`);--> statement-breakpoint
CREATE INDEX `purchases_purchased_at_idx` ON `purchases` (`purchased_at`);