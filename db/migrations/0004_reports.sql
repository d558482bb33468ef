CREATE TABLE `reports` (
	`week` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`metrics` text NOT NULL,
	`late` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `answers_at_idx` ON `answers` (`at`);