CREATE TABLE `activity_slots` (
	`series` text NOT NULL,
	`slot` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`series`, `slot`)
);
--> statement-breakpoint
INSERT INTO `activity_slots` (`series`, `slot`, `count`)
  SELECT 'comments', `created_at` / 900000, count(*) FROM `comments` GROUP BY 2;--> statement-breakpoint
INSERT INTO `activity_slots` (`series`, `slot`, `count`)
  SELECT 'signups', `confirmed_at` / 900000, count(*) FROM `subscribers` WHERE `confirmed_at` IS NOT NULL GROUP BY 2;--> statement-breakpoint
CREATE TRIGGER `comments_activity_insert` AFTER INSERT ON `comments`
BEGIN
  INSERT INTO `activity_slots` (`series`, `slot`, `count`) VALUES ('comments', NEW.`created_at` / 900000, 1)
    ON CONFLICT (`series`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `comments_activity_delete` AFTER DELETE ON `comments`
BEGIN
  UPDATE `activity_slots` SET `count` = `count` - 1 WHERE `series` = 'comments' AND `slot` = OLD.`created_at` / 900000;
END;--> statement-breakpoint
CREATE TRIGGER `comments_activity_update` AFTER UPDATE OF `created_at` ON `comments` WHEN OLD.`created_at` IS NOT NEW.`created_at`
BEGIN
  UPDATE `activity_slots` SET `count` = `count` - 1 WHERE `series` = 'comments' AND `slot` = OLD.`created_at` / 900000;
  INSERT INTO `activity_slots` (`series`, `slot`, `count`) VALUES ('comments', NEW.`created_at` / 900000, 1)
    ON CONFLICT (`series`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `subscribers_activity_insert` AFTER INSERT ON `subscribers` WHEN NEW.`confirmed_at` IS NOT NULL
BEGIN
  INSERT INTO `activity_slots` (`series`, `slot`, `count`) VALUES ('signups', NEW.`confirmed_at` / 900000, 1)
    ON CONFLICT (`series`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `subscribers_activity_delete` AFTER DELETE ON `subscribers` WHEN OLD.`confirmed_at` IS NOT NULL
BEGIN
  UPDATE `activity_slots` SET `count` = `count` - 1 WHERE `series` = 'signups' AND `slot` = OLD.`confirmed_at` / 900000;
END;--> statement-breakpoint
CREATE TRIGGER `subscribers_activity_update` AFTER UPDATE OF `confirmed_at` ON `subscribers` WHEN OLD.`confirmed_at` IS NOT NEW.`confirmed_at`
BEGIN
  UPDATE `activity_slots` SET `count` = `count` - 1 WHERE `series` = 'signups' AND `slot` = OLD.`confirmed_at` / 900000;
  INSERT INTO `activity_slots` (`series`, `slot`, `count`) SELECT 'signups', NEW.`confirmed_at` / 900000, 1 WHERE NEW.`confirmed_at` IS NOT NULL
    ON CONFLICT (`series`, `slot`) DO UPDATE SET `count` = `count` + 1;
END;
