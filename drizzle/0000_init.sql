CREATE TABLE `agents` (
	`session_id` text PRIMARY KEY NOT NULL,
	`cwd` text,
	`project` text NOT NULL,
	`machine` text,
	`pid` integer,
	`state` text NOT NULL,
	`state_since` integer NOT NULL,
	`last_event_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`snapshot` text NOT NULL,
	`continues_session_id` text,
	`last_message` text
);
--> statement-breakpoint
CREATE INDEX `agents_state_idx` ON `agents` (`state`);--> statement-breakpoint
CREATE INDEX `agents_cwd_idx` ON `agents` (`cwd`);--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`name` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`subagent_id` text,
	`tool_name` text,
	`tool_use_id` text,
	`content_hash` text NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`replayed` integer DEFAULT false NOT NULL,
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_session_time_idx` ON `events` (`session_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `events_session_hash_idx` ON `events` (`session_id`,`content_hash`);--> statement-breakpoint
CREATE TABLE `waits` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`ended_by` text,
	`ended_via` text,
	`answered_by` text,
	`actor` text NOT NULL,
	`detail` text NOT NULL,
	`work_ms` integer
);
--> statement-breakpoint
CREATE INDEX `waits_session_idx` ON `waits` (`session_id`,`started_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `waits_one_open_idx` ON `waits` (`session_id`) WHERE "waits"."ended_at" is null;