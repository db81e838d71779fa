CREATE TABLE `import_records` (
	`source_key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`local_id` integer NOT NULL,
	`source_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `old_addresses` (
	`path` text PRIMARY KEY NOT NULL,
	`source_key` text,
	`target_path` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `static_pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`nav_position` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `static_pages_slug_unique` ON `static_pages` (`slug`);