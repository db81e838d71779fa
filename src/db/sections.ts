import { asc } from 'drizzle-orm';
import type { Db } from './client';
import { sections } from './schema';

/** The sections in navigation order, for the site header. */
export function navigationSectionsQuery(db: Db) {
  return db
    .select({ slug: sections.slug, name: sections.name })
    .from(sections)
    .orderBy(asc(sections.position), asc(sections.name));
}

export type NavigationSection = Awaited<ReturnType<typeof navigationSectionsQuery>>[number];
