CREATE TABLE `rule_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`rule_id` integer NOT NULL,
	`kind` text NOT NULL,
	`event` text NOT NULL,
	`tool_name` text NOT NULL,
	`subject` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rule_decisions_at_idx` ON `rule_decisions` (`at`);--> statement-breakpoint
CREATE INDEX `rule_decisions_rule_idx` ON `rule_decisions` (`rule_id`,`at`);--> statement-breakpoint
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`rule` text NOT NULL,
	`scope` text NOT NULL,
	`target` text,
	`reason` text,
	`origin` text NOT NULL,
	`created_at` integer NOT NULL
);
