import { yearMonth } from './dates';

/** The stable, readable URL of a published article: /2010/11/russia-eyes-korean-peninsula */
export function articlePath(article: { slug: string; publishedAt: Date | null }, timeZone: string): string {
  if (!article.publishedAt) return `/drafts/${article.slug}`;
  const { year, month } = yearMonth(article.publishedAt, timeZone);
  return `/${year}/${month}/${article.slug}`;
}

export const sectionPath = (slug: string) => `/section/${slug}`;
export const tagPath = (slug: string) => `/tag/${slug}`;
export const authorPath = (slug: string) => `/author/${slug}`;

/** `path` with `?page=N` for every page after the first. */
export function pagePath(path: string, page: number): string {
  return page > 1 ? `${path}?page=${page}` : path;
}
