import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';
import { sections, staticPages } from './schema';

export type NavigationKind = 'section' | 'page';

/**
 * The site header's links in their order: the sections (by their position), then the published
 * static pages an editor put in the navigation (by theirs). One query, so every page's batch stays
 * one round trip.
 */
export function navigationQuery(db: Db) {
  return unionAll(
    db
      .select({
        kind: sql<NavigationKind>`'section'`.as('kind'),
        slug: sections.slug,
        name: sections.name,
        position: sql<number>`${sections.position}`.as('position'),
      })
      .from(sections),
    db
      .select({
        kind: sql<NavigationKind>`'page'`.as('kind'),
        slug: staticPages.slug,
        name: staticPages.title,
        position: sql<number>`${staticPages.navPosition}`.as('position'),
      })
      .from(staticPages)
      .where(and(eq(staticPages.status, 'published'), isNotNull(staticPages.navPosition))),
  ).orderBy(sql`kind desc`, sql`position`, sql`name`);
}

export type NavigationLink = Awaited<ReturnType<typeof navigationQuery>>[number];
