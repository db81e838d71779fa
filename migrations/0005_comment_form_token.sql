ALTER TABLE `comments` ADD `form_token` text;--> statement-breakpoint
CREATE UNIQUE INDEX `comments_form_token_idx` ON `comments` (`form_token`);