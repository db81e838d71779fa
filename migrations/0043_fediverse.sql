CREATE TABLE `fediverse_followers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor` text NOT NULL,
	`follower_id` text NOT NULL,
	`inbox` text NOT NULL,
	`shared_inbox` text,
	`handle` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`url` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fediverse_followers_actor_follower_idx` ON `fediverse_followers` (`actor`,`follower_id`);--> statement-breakpoint
CREATE INDEX `fediverse_followers_follower_idx` ON `fediverse_followers` (`follower_id`);--> statement-breakpoint
CREATE TABLE `fediverse_keys` (
	`actor` text PRIMARY KEY NOT NULL,
	`rsa_private` text NOT NULL,
	`rsa_public` text NOT NULL,
	`ed25519_private` text NOT NULL,
	`ed25519_public` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `fediverse_reactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` integer NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fediverse_reactions_article_kind_actor_idx` ON `fediverse_reactions` (`article_id`,`kind`,`actor_id`);--> statement-breakpoint
ALTER TABLE `comments` ADD `author_url` text;--> statement-breakpoint
CREATE INDEX `comments_source_url_idx` ON `comments` (`source_url`) WHERE "comments"."source_url" is not null;