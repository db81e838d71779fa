CREATE TABLE `tallies` (
	`name` text PRIMARY KEY NOT NULL,
	`count` integer DEFAULT 0 NOT NULL
);--> statement-breakpoint
-- Every status's row, counted once here; from now on the triggers below keep them.
INSERT INTO `tallies` (`name`) VALUES ('subscribers:unconfirmed'), ('subscribers:confirmed'), ('subscribers:unsubscribed'), ('subscribers:bounced'), ('subscribers:complained');--> statement-breakpoint
UPDATE `tallies` SET `count` = (SELECT count(*) FROM `subscribers` WHERE `subscribers`.`status` = substr(`tallies`.`name`, 13)) WHERE `name` LIKE 'subscribers:%';--> statement-breakpoint
INSERT INTO `tallies` (`name`) VALUES ('articles:draft'), ('articles:published');--> statement-breakpoint
UPDATE `tallies` SET `count` = (SELECT count(*) FROM `articles` WHERE `articles`.`status` = substr(`tallies`.`name`, 10)) WHERE `name` LIKE 'articles:%';--> statement-breakpoint
INSERT INTO `tallies` (`name`) VALUES ('comments:pending'), ('comments:approved'), ('comments:spam'), ('comments:deleted');--> statement-breakpoint
UPDATE `tallies` SET `count` = (SELECT count(*) FROM `comments` WHERE `comments`.`status` = substr(`tallies`.`name`, 10)) WHERE `name` LIKE 'comments:%';--> statement-breakpoint
CREATE TRIGGER `subscribers_tally_insert` AFTER INSERT ON `subscribers`
BEGIN
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'subscribers:' || NEW.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `subscribers_tally_delete` AFTER DELETE ON `subscribers`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'subscribers:' || OLD.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `subscribers_tally_update` AFTER UPDATE OF `status` ON `subscribers` WHEN OLD.`status` IS NOT NEW.`status`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'subscribers:' || OLD.`status`;
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'subscribers:' || NEW.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `articles_tally_insert` AFTER INSERT ON `articles`
BEGIN
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'articles:' || NEW.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `articles_tally_delete` AFTER DELETE ON `articles`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'articles:' || OLD.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `articles_tally_update` AFTER UPDATE OF `status` ON `articles` WHEN OLD.`status` IS NOT NEW.`status`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'articles:' || OLD.`status`;
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'articles:' || NEW.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_tally_insert` AFTER INSERT ON `comments`
BEGIN
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'comments:' || NEW.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_tally_delete` AFTER DELETE ON `comments`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'comments:' || OLD.`status`;
END;--> statement-breakpoint
CREATE TRIGGER `comments_tally_update` AFTER UPDATE OF `status` ON `comments` WHEN OLD.`status` IS NOT NEW.`status`
BEGIN
  UPDATE `tallies` SET `count` = `count` - 1 WHERE `name` = 'comments:' || OLD.`status`;
  UPDATE `tallies` SET `count` = `count` + 1 WHERE `name` = 'comments:' || NEW.`status`;
END;
