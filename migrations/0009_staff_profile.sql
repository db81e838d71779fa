ALTER TABLE `editors` ADD `author_id` integer REFERENCES authors(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `editors` ADD `last_signed_in_at` integer;