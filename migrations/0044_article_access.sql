ALTER TABLE `articles` ADD `access` text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE `articles` ADD `teaser_html` text DEFAULT '' NOT NULL;