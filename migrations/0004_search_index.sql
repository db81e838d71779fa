-- Site search: an FTS5 index over every article's headline, standfirst and Markdown body. It is an
-- external-content table (the text stays in `articles`, looked up by rowid = articles.id) kept in step
-- by the triggers below; drafts are indexed too and filtered out when searching, so publishing,
-- scheduling and unpublishing need no re-indexing.
CREATE VIRTUAL TABLE articles_search USING fts5(
  headline,
  standfirst,
  body_markdown,
  content = 'articles',
  content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER articles_search_after_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_search (rowid, headline, standfirst, body_markdown)
  VALUES (new.id, new.headline, new.standfirst, new.body_markdown);
END;
--> statement-breakpoint
CREATE TRIGGER articles_search_after_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_search (articles_search, rowid, headline, standfirst, body_markdown)
  VALUES ('delete', old.id, old.headline, old.standfirst, old.body_markdown);
END;
--> statement-breakpoint
CREATE TRIGGER articles_search_after_update AFTER UPDATE OF headline, standfirst, body_markdown ON articles BEGIN
  INSERT INTO articles_search (articles_search, rowid, headline, standfirst, body_markdown)
  VALUES ('delete', old.id, old.headline, old.standfirst, old.body_markdown);
  INSERT INTO articles_search (rowid, headline, standfirst, body_markdown)
  VALUES (new.id, new.headline, new.standfirst, new.body_markdown);
END;
--> statement-breakpoint
INSERT INTO articles_search (articles_search) VALUES ('rebuild');
