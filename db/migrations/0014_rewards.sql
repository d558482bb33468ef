CREATE TABLE `referral_conversions` (
	`referral_id` integer PRIMARY KEY NOT NULL,
	`customer_id` integer NOT NULL,
	`purchase_id` integer,
	`converted_at` integer NOT NULL,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`purchase_id`) REFERENCES `purchases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_conversions_customer_unique` ON `referral_conversions` (`customer_id`);--> statement-breakpoint
CREATE INDEX `referral_conversions_purchase_idx` ON `referral_conversions` (`purchase_id`);--> statement-breakpoint
CREATE INDEX `referral_conversions_at_idx` ON `referral_conversions` (`converted_at`);--> statement-breakpoint
CREATE TABLE `reward_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`claim_key` text,
	`customer_id` integer,
	`claimed_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reward_codes_kind_code_unique` ON `reward_codes` (`kind`,`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `reward_codes_claim_unique` ON `reward_codes` (`claim_key`);--> statement-breakpoint
CREATE INDEX `reward_codes_free_idx` ON `reward_codes` (`kind`,`id`) WHERE "reward_codes"."claim_key" IS NULL;--> statement-breakpoint
CREATE TABLE `reward_settings` (
	`kind` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`text` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `referrals_phone_idx` ON `referrals` (`phone`);