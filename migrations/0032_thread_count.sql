ALTER TABLE `articles` ADD `thread_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- An article's page shows "N comments" and cuts its threads into pages: both counts are kept here by
-- the triggers on comments, so a page of an article with 40,000 comments reads no more than one with 4.
UPDATE `articles` SET `thread_count` =
  (SELECT count(*) FROM `comments` WHERE `comments`.`article_id` = `articles`.`id` AND `comments`.`status` = 'approved' AND `comments`.`parent_id` IS NULL);--> statement-breakpoint
DROP TRIGGER `comments_count_insert`;--> statement-breakpoint
DROP TRIGGER `comments_count_delete`;--> statement-breakpoint
DROP TRIGGER `comments_count_update`;--> statement-breakpoint
CREATE TRIGGER `comments_count_insert` AFTER INSERT ON `comments` WHEN NEW.`status` = 'approved'
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` + 1, `thread_count` = `thread_count` + (NEW.`parent_id` IS NULL)
  WHERE `id` = NEW.`article_id`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_count_delete` AFTER DELETE ON `comments` WHEN OLD.`status` = 'approved'
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` - 1, `thread_count` = `thread_count` - (OLD.`parent_id` IS NULL)
  WHERE `id` = OLD.`article_id`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_count_update` AFTER UPDATE OF `status`, `article_id` ON `comments`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`article_id` IS NOT NEW.`article_id`
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` - 1, `thread_count` = `thread_count` - (OLD.`parent_id` IS NULL)
  WHERE `id` = OLD.`article_id` AND OLD.`status` = 'approved';
  UPDATE `articles` SET `comment_count` = `comment_count` + 1, `thread_count` = `thread_count` + (NEW.`parent_id` IS NULL)
  WHERE `id` = NEW.`article_id` AND NEW.`status` = 'approved';
END;
