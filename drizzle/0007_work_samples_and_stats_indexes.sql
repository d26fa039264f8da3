DROP INDEX `events_name_time_idx`;--> statement-breakpoint
CREATE INDEX `events_name_time_idx` ON `events` (`name`,`occurred_at`,`origin`,`late`);--> statement-breakpoint
ALTER TABLE `agents` ADD `work_samples` text;--> statement-breakpoint
CREATE INDEX `waits_started_idx` ON `waits` (`started_at`,`ended_by`,`ended_at`,`work_ms`);--> statement-breakpoint
-- Backfill: each agent's latest 20 positive T_work samples, newest first, as the ranking reads them.
UPDATE `agents` SET `work_samples` = (
  SELECT json_group_array(json_array(`started_at`, `work_ms`)) FROM (
    SELECT `started_at`, `work_ms` FROM `waits`
    WHERE `waits`.`session_id` = `agents`.`session_id` AND `work_ms` > 0
    ORDER BY `started_at` DESC LIMIT 20
  )
) WHERE EXISTS (SELECT 1 FROM `waits` WHERE `waits`.`session_id` = `agents`.`session_id` AND `work_ms` > 0);
