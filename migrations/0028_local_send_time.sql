ALTER TABLE `newsletter_deliveries` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `local_hour` integer;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `queued_until` integer;--> statement-breakpoint
ALTER TABLE `subscribers` ADD `time_zone` text;