ALTER TABLE `comments` ADD `source_url` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_source_idx` ON `comments` (`article_id`,`source_url`);