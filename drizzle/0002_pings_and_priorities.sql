CREATE TABLE `pings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`wait_id` text NOT NULL,
	`session_id` text NOT NULL,
	`channel` text NOT NULL,
	`step` integer NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`detail` text,
	`title` text,
	`body` text,
	`ref` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pings_at_idx` ON `pings` (`at`);--> statement-breakpoint
CREATE INDEX `pings_wait_idx` ON `pings` (`wait_id`);--> statement-breakpoint
CREATE TABLE `priorities` (
	`target` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`priority` integer NOT NULL,
	`set_at` integer NOT NULL
);
