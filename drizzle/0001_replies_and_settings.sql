CREATE TABLE `replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wait_id` text NOT NULL,
	`session_id` text NOT NULL,
	`action` text NOT NULL,
	`text` text,
	`via` text NOT NULL,
	`by` text,
	`at` integer NOT NULL,
	`outcome` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `replies_wait_idx` ON `replies` (`wait_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
