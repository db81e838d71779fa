CREATE TABLE `member_sign_ins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_sign_ins_member_idx` ON `member_sign_ins` (`member_id`,`at`);--> statement-breakpoint
-- The sign-ins before this table: each member's last one, which members.last_signed_in_at kept.
INSERT INTO `member_sign_ins` (`member_id`, `at`) SELECT `id`, `last_signed_in_at` FROM `members` WHERE `last_signed_in_at` IS NOT NULL;
