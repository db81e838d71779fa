import { and, asc, eq, isNotNull, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { staticPages } from '../db/schema';
import { renderMarkdown } from '../lib/markdown';
import { movedInOrder } from '../lib/order';
import type { StaticPageInput } from './input';

export type StaticPage = typeof staticPages.$inferSelect;

/** Every static page for the admin: those in the navigation first, in its order, then the others by title. */
export function staticPagesQuery(db: Db) {
  return db
    .select()
    .from(staticPages)
    .orderBy(sql`${staticPages.navPosition} is null`, asc(staticPages.navPosition), asc(staticPages.title));
}

export async function staticPageById(db: Db, id: number): Promise<StaticPage | undefined> {
  const [row] = await db.select().from(staticPages).where(eq(staticPages.id, id));
  return row;
}

/** A published page by its slug: what readers get at its address. */
export function publishedStaticPageQuery(db: Db, slug: string) {
  return db
    .select({ title: staticPages.title, bodyHtml: staticPages.bodyHtml, updatedAt: staticPages.updatedAt })
    .from(staticPages)
    .where(and(eq(staticPages.slug, slug), eq(staticPages.status, 'published')));
}

/** The next place at the end of the navigation. */
async function lastNavPosition(db: Db): Promise<number> {
  const [row] = await db.select({ last: max(staticPages.navPosition) }).from(staticPages);
  return (row?.last ?? -1) + 1;
}

/** The columns a form's input sets: the body rendered once, here, as an article's is. */
async function columns(db: Db, input: StaticPageInput, before?: StaticPage) {
  const keepPlace = before?.navPosition !== null && before?.navPosition !== undefined;
  return {
    title: input.title,
    slug: input.slug,
    bodyMarkdown: input.body,
    bodyHtml: renderMarkdown(input.body),
    status: input.status,
    navPosition: input.inNavigation ? (keepPlace ? before.navPosition : await lastNavPosition(db)) : null,
  };
}

export async function createStaticPage(db: Db, input: StaticPageInput): Promise<number> {
  const [row] = await db
    .insert(staticPages)
    .values(await columns(db, input))
    .returning({ id: staticPages.id });
  return row!.id;
}

export async function updateStaticPage(db: Db, before: StaticPage, input: StaticPageInput): Promise<void> {
  await db
    .update(staticPages)
    .set(await columns(db, input, before))
    .where(eq(staticPages.id, before.id));
}

export async function deleteStaticPage(db: Db, id: number): Promise<void> {
  await db.delete(staticPages).where(eq(staticPages.id, id));
}

/** Swaps a page in the navigation with the one before or after it, and renumbers them all 0, 1, 2… */
export async function moveStaticPage(db: Db, id: number, direction: 'up' | 'down'): Promise<boolean> {
  const ids = (
    await db
      .select({ id: staticPages.id })
      .from(staticPages)
      .where(isNotNull(staticPages.navPosition))
      .orderBy(asc(staticPages.navPosition), asc(staticPages.title))
  ).map((row) => row.id);
  const order = movedInOrder(ids, id, direction);
  if (!order) return false;
  if (order === ids) return true;
  const [first, ...rest] = order.map((pageId, navPosition) =>
    db.update(staticPages).set({ navPosition }).where(eq(staticPages.id, pageId)),
  );
  await db.batch([first!, ...rest]);
  return true;
}

/** Whether a page shows in the navigation (published, with a place): then every page of the site shows it. */
export const inNavigation = (page: Pick<StaticPage, 'status' | 'navPosition'>) =>
  page.status === 'published' && page.navPosition !== null;

/** Whether a write failed because another page has the slug. */
export const slugTaken = (error: unknown) => {
  const { message, cause } = (error ?? {}) as { message?: string; cause?: { message?: string } };
  return /UNIQUE.*static_pages\.slug/.test(`${message} ${cause?.message}`);
};
