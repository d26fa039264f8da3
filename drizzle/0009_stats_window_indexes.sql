CREATE INDEX `replies_at_idx` ON `replies` (`at`);--> statement-breakpoint
CREATE INDEX `waits_ended_idx` ON `waits` (`ended_at`);