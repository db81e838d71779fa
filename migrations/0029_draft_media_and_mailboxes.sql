ALTER TABLE `media` ADD `public_at` integer;--> statement-breakpoint
-- An image becomes public with the first published article that shows it, or as an author's photo.
UPDATE `media` SET `public_at` = (
  SELECT min(`articles`.`published_at`) FROM `articles`
  WHERE `articles`.`status` = 'published'
    AND (instr(`articles`.`hero_image_url`, '/media/' || `media`.`hash` || '/') > 0
      OR instr(`articles`.`body_markdown`, '/media/' || `media`.`hash` || '/') > 0)
);--> statement-breakpoint
UPDATE `media` SET `public_at` = `created_at`
WHERE `public_at` IS NULL AND `hash` IN (SELECT `photo_hash` FROM `authors` WHERE `photo_hash` IS NOT NULL);--> statement-breakpoint
-- One row per mailbox: spellings of one address that differ only in case are merged into the row that
-- stays — a suppressed one (nothing may be sent to it), else the one its owner acted on last (confirmed
-- or unsubscribed), else the oldest. Its deliveries move to that row unless it had the same issue.
CREATE TABLE `subscriber_merges` (`duplicate_id` integer PRIMARY KEY NOT NULL, `keeper_id` integer NOT NULL);--> statement-breakpoint
INSERT INTO `subscriber_merges`
SELECT `id`, first_value(`id`) OVER (
  PARTITION BY lower(`email`)
  ORDER BY
    CASE WHEN `status` IN ('bounced', 'complained') THEN 0 WHEN `status` IN ('confirmed', 'unsubscribed') THEN 1 ELSE 2 END,
    max(coalesce(`confirmed_at`, 0), coalesce(`unsubscribed_at`, 0)) DESC,
    `id`
)
FROM `subscribers` WHERE `email` IS NOT NULL;--> statement-breakpoint
DELETE FROM `subscriber_merges` WHERE `duplicate_id` = `keeper_id`;--> statement-breakpoint
UPDATE OR IGNORE `newsletter_deliveries`
SET `subscriber_id` = (SELECT `keeper_id` FROM `subscriber_merges` WHERE `duplicate_id` = `newsletter_deliveries`.`subscriber_id`)
WHERE `subscriber_id` IN (SELECT `duplicate_id` FROM `subscriber_merges`);--> statement-breakpoint
DELETE FROM `newsletter_deliveries` WHERE `subscriber_id` IN (SELECT `duplicate_id` FROM `subscriber_merges`);--> statement-breakpoint
DELETE FROM `subscribers` WHERE `id` IN (SELECT `duplicate_id` FROM `subscriber_merges`);--> statement-breakpoint
DROP TABLE `subscriber_merges`;--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_mailbox_idx` ON `subscribers` (lower("email"));
