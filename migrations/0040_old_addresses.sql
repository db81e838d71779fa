CREATE TABLE `old_addresses` (
	`path` text PRIMARY KEY NOT NULL,
	`source_key` text,
	`target_path` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
