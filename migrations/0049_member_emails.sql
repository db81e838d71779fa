CREATE TABLE `member_emails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`sent_to` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_emails_member_idx` ON `member_emails` (`member_id`,`sent_at`);