ALTER TABLE `newsletter_issues` ADD `status` text DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `preheader` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `intro` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `closing` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `article_ids` text;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `scheduled_at` integer;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `sent_at` integer;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `decided_by` integer REFERENCES editors(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `newsletter_issues` ADD `snapshot` text;--> statement-breakpoint
CREATE INDEX `newsletter_issues_status_idx` ON `newsletter_issues` (`status`,`scheduled_at`);--> statement-breakpoint
-- Written by hand: every issue recorded before this migration was sent by the weekly send.
UPDATE `newsletter_issues` SET `status` = 'sent', `sent_at` = `created_at`;
