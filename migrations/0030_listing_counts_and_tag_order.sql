DROP INDEX `article_tags_tag_idx`;--> statement-breakpoint
ALTER TABLE `article_tags` ADD `status` text DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE `article_tags` ADD `published_at` integer;--> statement-breakpoint
CREATE INDEX `article_tags_listing_idx` ON `article_tags` (`tag_id`,`status`,`published_at`,`article_id`);--> statement-breakpoint
ALTER TABLE `articles` ADD `comment_count` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- A tag's articles carry their article's status and publication time, so its page is one range of
-- article_tags_listing_idx in publication order. Kept by the two triggers below.
UPDATE `article_tags` SET
  `status` = (SELECT `status` FROM `articles` WHERE `articles`.`id` = `article_tags`.`article_id`),
  `published_at` = (SELECT `published_at` FROM `articles` WHERE `articles`.`id` = `article_tags`.`article_id`);--> statement-breakpoint
CREATE TRIGGER `article_tags_publication_insert` AFTER INSERT ON `article_tags`
BEGIN
  UPDATE `article_tags` SET
    `status` = (SELECT `status` FROM `articles` WHERE `id` = NEW.`article_id`),
    `published_at` = (SELECT `published_at` FROM `articles` WHERE `id` = NEW.`article_id`)
  WHERE `article_id` = NEW.`article_id` AND `tag_id` = NEW.`tag_id`;
END;--> statement-breakpoint
CREATE TRIGGER `articles_publication_tags` AFTER UPDATE OF `status`, `published_at` ON `articles`
BEGIN
  UPDATE `article_tags` SET `status` = NEW.`status`, `published_at` = NEW.`published_at` WHERE `article_id` = NEW.`id`;
END;--> statement-breakpoint
-- An article's approved comments, counted once here and kept by the three triggers below, so a listing
-- of articles reads one row an article instead of every comment.
UPDATE `articles` SET `comment_count` =
  (SELECT count(*) FROM `comments` WHERE `comments`.`article_id` = `articles`.`id` AND `comments`.`status` = 'approved');--> statement-breakpoint
CREATE TRIGGER `comments_count_insert` AFTER INSERT ON `comments` WHEN NEW.`status` = 'approved'
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` + 1 WHERE `id` = NEW.`article_id`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_count_delete` AFTER DELETE ON `comments` WHEN OLD.`status` = 'approved'
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` - 1 WHERE `id` = OLD.`article_id`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_count_update` AFTER UPDATE OF `status`, `article_id` ON `comments`
WHEN OLD.`status` IS NOT NEW.`status` OR OLD.`article_id` IS NOT NEW.`article_id`
BEGIN
  UPDATE `articles` SET `comment_count` = `comment_count` - 1 WHERE `id` = OLD.`article_id` AND OLD.`status` = 'approved';
  UPDATE `articles` SET `comment_count` = `comment_count` + 1 WHERE `id` = NEW.`article_id` AND NEW.`status` = 'approved';
END;
