CREATE TABLE `mods` (
	`session_id` text PRIMARY KEY NOT NULL,
	`claude_version` text NOT NULL,
	`mod_version` text NOT NULL,
	`attended` integer NOT NULL,
	`announced_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `events` ADD `origin` text;--> statement-breakpoint
CREATE INDEX `events_name_time_idx` ON `events` (`name`,`occurred_at`);--> statement-breakpoint
ALTER TABLE `replies` ADD `path` text;--> statement-breakpoint
ALTER TABLE `replies` ADD `handed_at` integer;--> statement-breakpoint
ALTER TABLE `replies` ADD `acked_at` integer;--> statement-breakpoint
ALTER TABLE `replies` ADD `ack_error` text;--> statement-breakpoint
CREATE INDEX `replies_session_idx` ON `replies` (`session_id`,`at`);--> statement-breakpoint
-- Backfill: prompts stored before origins were recorded (the same rules as core/prompt-origin.ts; replies through a mod did not exist yet).
UPDATE `events` SET `origin` = CASE
  WHEN ltrim(coalesce(json_extract(`payload`, '$.prompt'), ''), ' ' || char(9) || char(10) || char(13)) LIKE '<task-notification>%' THEN 'task'
  WHEN ltrim(coalesce(json_extract(`payload`, '$.prompt'), ''), ' ' || char(9) || char(10) || char(13)) LIKE '<channel %' THEN 'channel'
  ELSE 'person' END
WHERE `name` = 'UserPromptSubmit';--> statement-breakpoint
UPDATE `replies` SET `path` = 'hook' WHERE `outcome` = 'delivered';
