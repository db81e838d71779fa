import { and, eq } from 'drizzle-orm';
import type { SiteConfig } from '../config';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, authors } from '../db/schema';
import { formatDateTime } from '../lib/dates';
import { articleBodyMarkdown, markdownText } from '../lib/markdown';
import { responsiveSources } from '../media/responsive';
import { ACCOUNT_SIGN_IN_PATH, absoluteUrl, articlePath, authorPath, SUBSCRIBE_PATH } from '../paths';

export const MARKDOWN_CONTENT_TYPE = 'text/markdown; charset=utf-8';

/** What an article's Markdown shows: the page's text without its comments, and the body as written. */
export function articleMarkdownQuery(db: Db, slug: string) {
  return db
    .select({
      slug: articles.slug,
      headline: articles.headline,
      standfirst: articles.standfirst,
      publishedAt: articles.publishedAt,
      authorName: authors.name,
      authorSlug: authors.slug,
      heroImageUrl: articles.heroImageUrl,
      heroImageAlt: articles.heroImageAlt,
      heroImageWidth: articles.heroImageWidth,
      heroImageCredit: articles.heroImageCredit,
      bodyMarkdown: articles.bodyMarkdown,
      access: articles.access,
      canonicalUrl: articles.canonicalUrl,
    })
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .where(and(eq(articles.slug, slug), isPublished))
    .limit(1);
}

export type MarkdownArticle = Awaited<ReturnType<typeof articleMarkdownQuery>>[number];

/** What a reader without access to a members' or paid article reads after its teaser. */
function invitation(article: MarkdownArticle, site: SiteConfig): string {
  return article.access === 'members'
    ? `*The rest of this article is for members: [sign up or sign in](${absoluteUrl(site.url, ACCOUNT_SIGN_IN_PATH)}), it is free.*`
    : `*The rest of this article is for subscribers: [subscribe](${absoluteUrl(site.url, SUBSCRIBE_PATH)}).*`;
}

/**
 * An article as one Markdown document: the headline as its H1, the byline with the author's page and
 * the publication time, the standfirst, the hero image with its credit, the body as its author wrote
 * it (without its teaser marker) or, for a reader without access (`readsWhole` false), its teaser and
 * an invitation, and the canonical address. Every plain-text field is escaped (`markdownText`), so it
 * reads as the text it is.
 */
export function articleMarkdown(article: MarkdownArticle, site: SiteConfig, readsWhole: boolean): string {
  const url = absoluteUrl(site.url, articlePath(article, site.timeZone));
  const authorUrl = absoluteUrl(site.url, authorPath(article.authorSlug));
  const published = article.publishedAt && ` · ${formatDateTime(article.publishedAt, site.timeZone)}`;
  const hero =
    article.heroImageUrl && absoluteUrl(site.url, responsiveSources(article.heroImageUrl, article.heroImageWidth).src);
  const body = articleBodyMarkdown(article.bodyMarkdown);
  const blocks = [
    `# ${markdownText(article.headline)}`,
    `By [${markdownText(article.authorName)}](${authorUrl})${published || ''}`,
    markdownText(article.standfirst),
    hero && `![${markdownText(article.heroImageAlt)}](<${hero}>)`,
    hero && article.heroImageCredit && `Image credit: ${markdownText(article.heroImageCredit)}`,
    ...(readsWhole ? [body.body] : [body.teaser, invitation(article, site)]),
    `Canonical URL: <${absoluteUrl(site.url, article.canonicalUrl || url)}>`,
  ];
  return `${blocks.filter(Boolean).join('\n\n')}\n`;
}
