ALTER TABLE `newsletter_issues` ADD `paid_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `members_subscriber_idx` ON `members` (`subscriber_id`);