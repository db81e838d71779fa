CREATE INDEX `articles_status_updated_idx` ON `articles` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `articles_section_updated_idx` ON `articles` (`section_id`,`updated_at`);