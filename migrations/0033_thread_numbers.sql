ALTER TABLE `comments` ADD `thread_number` integer;--> statement-breakpoint
CREATE INDEX `comments_thread_number_idx` ON `comments` (`article_id`,`thread_number`) WHERE "comments"."thread_number" is not null;--> statement-breakpoint
-- Each approved thread's place among its article's approved threads, oldest first, so the 6,000th page
-- of an article's comments is a range of comments_thread_number_idx, not an OFFSET over every thread
-- newer than it. A thread that arrives, is approved, leaves or is deleted moves only the threads newer
-- than it (few: comments arrive at the end).
UPDATE `comments` SET `thread_number` = `numbered`.`n`
FROM (SELECT `id`, row_number() OVER (PARTITION BY `article_id` ORDER BY `created_at`, `id`) AS `n`
      FROM `comments` WHERE `status` = 'approved' AND `parent_id` IS NULL) AS `numbered`
WHERE `comments`.`id` = `numbered`.`id`;--> statement-breakpoint
CREATE TRIGGER `comments_thread_number_insert` AFTER INSERT ON `comments`
WHEN NEW.`status` = 'approved' AND NEW.`parent_id` IS NULL
BEGIN
  UPDATE `comments` SET `thread_number` = `thread_number` + 1
  WHERE `article_id` = NEW.`article_id` AND `status` = 'approved' AND `parent_id` IS NULL
    AND `created_at` >= NEW.`created_at` AND (`created_at` > NEW.`created_at` OR `id` > NEW.`id`);
  UPDATE `comments` SET `thread_number` = 1 + coalesce((SELECT `older`.`thread_number` FROM `comments` AS `older`
      WHERE `older`.`article_id` = NEW.`article_id` AND `older`.`status` = 'approved' AND `older`.`parent_id` IS NULL
        AND `older`.`created_at` <= NEW.`created_at` AND (`older`.`created_at` < NEW.`created_at` OR `older`.`id` < NEW.`id`)
      ORDER BY `older`.`created_at` DESC, `older`.`id` DESC LIMIT 1), 0)
  WHERE `id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_thread_number_delete` AFTER DELETE ON `comments` WHEN OLD.`thread_number` IS NOT NULL
BEGIN
  UPDATE `comments` SET `thread_number` = `thread_number` - 1
  WHERE `article_id` = OLD.`article_id` AND `thread_number` > OLD.`thread_number`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_thread_number_update` AFTER UPDATE OF `status`, `article_id` ON `comments`
WHEN NEW.`parent_id` IS NULL AND (OLD.`status` IS NOT NEW.`status` OR OLD.`article_id` IS NOT NEW.`article_id`)
BEGIN
  UPDATE `comments` SET `thread_number` = `thread_number` - 1
  WHERE OLD.`thread_number` IS NOT NULL AND `article_id` = OLD.`article_id` AND `thread_number` > OLD.`thread_number`;
  UPDATE `comments` SET `thread_number` = NULL WHERE `id` = NEW.`id` AND OLD.`thread_number` IS NOT NULL;
  UPDATE `comments` SET `thread_number` = `thread_number` + 1
  WHERE NEW.`status` = 'approved' AND `article_id` = NEW.`article_id` AND `status` = 'approved' AND `parent_id` IS NULL
    AND `created_at` >= NEW.`created_at` AND (`created_at` > NEW.`created_at` OR `id` > NEW.`id`);
  UPDATE `comments` SET `thread_number` = 1 + coalesce((SELECT `older`.`thread_number` FROM `comments` AS `older`
      WHERE `older`.`article_id` = NEW.`article_id` AND `older`.`status` = 'approved' AND `older`.`parent_id` IS NULL
        AND `older`.`created_at` <= NEW.`created_at` AND (`older`.`created_at` < NEW.`created_at` OR `older`.`id` < NEW.`id`)
      ORDER BY `older`.`created_at` DESC, `older`.`id` DESC LIMIT 1), 0)
  WHERE NEW.`status` = 'approved' AND `id` = NEW.`id`;
END;
