CREATE TABLE `article_views` (
	`article_id` integer NOT NULL,
	`day` text NOT NULL,
	`country` text NOT NULL,
	`referrer` text NOT NULL,
	`client` text NOT NULL,
	`views` integer NOT NULL,
	PRIMARY KEY(`article_id`, `day`, `country`, `referrer`, `client`),
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `article_views_day_idx` ON `article_views` (`day`,`client`);