import { and, asc, desc, eq } from 'drizzle-orm';
import { isPublished } from '../db/articles';
import type { Db } from '../db/client';
import { articles, articleTags, authors, newsletterIssues, sections, tags } from '../db/schema';

/**
 * What the sitemap lists, in one batch: every published article (with its last change), every section, the
 * tags and authors that have a published article, and the newsletter's sent issues.
 */
export function sitemapQueries(db: Db) {
  return [
    db
      .select({ slug: articles.slug, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
      .from(articles)
      .where(and(isPublished, eq(articles.noindex, 0)))
      .orderBy(desc(articles.publishedAt), desc(articles.id)),
    db.select({ slug: sections.slug }).from(sections).orderBy(asc(sections.position), asc(sections.slug)),
    db
      .selectDistinct({ slug: tags.slug })
      .from(tags)
      .innerJoin(articleTags, eq(articleTags.tagId, tags.id))
      .innerJoin(articles, eq(articles.id, articleTags.articleId))
      .where(isPublished)
      .orderBy(asc(tags.slug)),
    db
      .selectDistinct({ slug: authors.slug })
      .from(authors)
      .innerJoin(articles, eq(articles.authorId, authors.id))
      .where(isPublished)
      .orderBy(asc(authors.slug)),
    db
      .select({ number: newsletterIssues.number })
      .from(newsletterIssues)
      .where(eq(newsletterIssues.status, 'sent'))
      .orderBy(desc(newsletterIssues.number)),
  ] as const;
}
