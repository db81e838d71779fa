CREATE TABLE `import_records` (
	`source_key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`local_id` integer NOT NULL,
	`source_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
