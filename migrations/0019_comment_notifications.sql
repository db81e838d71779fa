CREATE TABLE `notify_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient_id` integer NOT NULL,
	`subscription_id` integer NOT NULL,
	`comment_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`recipient_id`) REFERENCES `notify_recipients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subscription_id`) REFERENCES `notify_subscriptions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_deliveries_recipient_comment_idx` ON `notify_deliveries` (`recipient_id`,`comment_id`);--> statement-breakpoint
CREATE INDEX `notify_deliveries_subscription_status_idx` ON `notify_deliveries` (`subscription_id`,`status`);--> statement-breakpoint
CREATE INDEX `notify_deliveries_comment_idx` ON `notify_deliveries` (`comment_id`);--> statement-breakpoint
CREATE TABLE `notify_recipients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`status` text DEFAULT 'unconfirmed' NOT NULL,
	`confirmation_sent_at` integer,
	`confirmed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_recipients_email_unique` ON `notify_recipients` (`email`);--> statement-breakpoint
CREATE TABLE `notify_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recipient_id` integer NOT NULL,
	`article_id` integer NOT NULL,
	`mode` text DEFAULT 'replies' NOT NULL,
	`last_sent_at` integer,
	`next_send_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`recipient_id`) REFERENCES `notify_recipients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_subscriptions_recipient_article_idx` ON `notify_subscriptions` (`recipient_id`,`article_id`);--> statement-breakpoint
CREATE INDEX `notify_subscriptions_article_idx` ON `notify_subscriptions` (`article_id`);