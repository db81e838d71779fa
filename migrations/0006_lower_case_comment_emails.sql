-- Comments compare email addresses case-insensitively: store them in lower case (normalize.ts).
-- A row that would then repeat another's comment (same article, address and text) keeps its spelling.
UPDATE OR IGNORE `comments` SET `author_email` = lower(trim(`author_email`)) WHERE `author_email` <> lower(trim(`author_email`));
