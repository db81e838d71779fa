ALTER TABLE `editors` ADD `role` text DEFAULT 'contributor' NOT NULL;--> statement-breakpoint
UPDATE `editors` SET `role` = 'administrator';
