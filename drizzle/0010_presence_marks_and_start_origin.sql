CREATE TABLE `presence_marks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`away` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `presence_marks_at_idx` ON `presence_marks` (`at`);--> statement-breakpoint
UPDATE `events` SET `origin` = 'person'
WHERE `name` = 'SessionStart' AND `origin` IS NULL
  AND json_extract(`payload`, '$.source') IN ('startup', 'resume', 'clear');
