ALTER TABLE `articles` ADD `review_requested_at` integer;--> statement-breakpoint
ALTER TABLE `articles` ADD `review_emailed_at` integer;--> statement-breakpoint
ALTER TABLE `articles` ADD `review_note` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `articles_review_idx` ON `articles` (`review_requested_at`) WHERE "articles"."review_requested_at" is not null;