import { sha256Hex } from '../lib/hash.ts';
import { renderArticleBody } from '../lib/markdown.ts';
import { slugify } from '../lib/slug.ts';
import { mediaPath } from '../media/keys.ts';
import type { ArticleFile, SiteFile } from './article-files.ts';

export type SqlValue = string | number | null | undefined;

/** A value as an SQL literal (strings quoted, quotes doubled). */
export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

function insertOrIgnore(table: string, row: Record<string, SqlValue>): string {
  const columns = Object.keys(row);
  return `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => literal(row[column])).join(', ')});`;
}

const idOf = (table: string, slug: string) => `(SELECT id FROM ${table} WHERE slug = ${literal(slug)})`;

/** The site's sections (in their order) and authors, inserted if their slug is new. */
export function siteStatements(site: SiteFile): string[] {
  return [
    ...site.sections.map((section, position) => insertOrIgnore('sections', { ...section, position })),
    ...site.authors.map((author) => insertOrIgnore('authors', author)),
  ];
}

/**
 * The import of Markdown articles, idempotent by slug: an article is inserted if its slug is new; one
 * already there keeps its text, status and dates whatever the file says now (only tags and comments
 * the file adds are added). Its author and section must exist (by slug).
 */
export async function articleStatements(articles: ArticleFile[]): Promise<string[]> {
  const statements: string[] = [];
  for (const article of articles) {
    const image = article.heroImage;
    if (image) {
      statements.push(
        insertOrIgnore('media', {
          hash: image.hash,
          type: image.type,
          width: image.width,
          height: image.height,
          bytes: image.bytes.byteLength,
          alt: article.hero?.alt ?? '',
          credit: article.hero?.credit ?? '',
          // A draft's hero stays private until the draft is published through the admin.
          public_at: article.status === 'published' ? article.publishedAt?.getTime() : undefined,
        }),
      );
    }
    const body = renderArticleBody(article.body);
    const values: Record<string, SqlValue> = {
      slug: article.slug,
      headline: article.headline,
      standfirst: article.standfirst,
      body_markdown: article.body,
      body_html: body.html,
      hero_image_url: image ? mediaPath(image.hash) : article.hero?.url,
      hero_image_alt: article.hero?.alt ?? '',
      hero_image_credit: article.hero?.credit ?? '',
      hero_image_width: image?.width ?? article.hero?.width,
      hero_image_height: image?.height ?? article.hero?.height,
      status: article.status,
      published_at: article.publishedAt?.getTime(),
    };
    const columns = Object.keys(values);
    statements.push(
      `INSERT OR IGNORE INTO articles (${columns.join(', ')}, author_id, section_id) VALUES (${columns
        .map((column) => literal(values[column]))
        .join(', ')}, ${idOf('authors', article.author)}, ${idOf('sections', article.section)});`,
      // Apart, so that a schema from before articles' access still takes the article (test/support/migration-db.ts).
      `UPDATE articles SET access = ${literal(article.access)}, teaser_html = ${literal(body.teaserHtml)} WHERE slug = ${literal(article.slug)} AND teaser_html = '';`,
    );
    for (const name of article.tags) {
      statements.push(insertOrIgnore('tags', { slug: slugify(name), name }));
      statements.push(
        `INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (${idOf('articles', article.slug)}, ${idOf('tags', slugify(name))});`,
      );
    }
    for (const comment of article.comments) {
      statements.push(
        `INSERT OR IGNORE INTO comments (article_id, author_name, author_email, body, body_hash, status, created_at) VALUES (${idOf(
          'articles',
          article.slug,
        )}, ${literal(comment.name)}, ${literal(comment.email)}, ${literal(comment.body)}, ${literal(
          await sha256Hex(comment.body),
        )}, 'approved', ${comment.at.getTime()});`,
      );
    }
  }
  return statements;
}

/** The seed: the site file, then its articles through the same import as `npm run import`. Running it again changes nothing. */
export async function seedStatements({
  site,
  articles,
}: {
  site: SiteFile;
  articles: ArticleFile[];
}): Promise<string[]> {
  return [...siteStatements(site), ...(await articleStatements(articles))];
}
