import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { shareImagePath } from '../media/keys';
import { absoluteUrl, authorPath, DEFAULT_SHARE_IMAGE, LOGO_PATH } from '../paths';
import { authorBySlugQuery } from './queries';

/** One of the site's actors: the publication (its handle from FEDIVERSE_HANDLE) or an author (their slug). */
export interface SiteActor {
  kind: 'publication' | 'author';
  identifier: string;
  name: string;
  summary: string;
  /** Its page on the site. */
  url: string;
  /** Its picture: the publisher's logo (PNG), an author's photo (JPEG). */
  icon: { url: string; mediaType: 'image/png' | 'image/jpeg' } | null;
  /** The banner across its profile: the site's sharing image (public/share.jpg, 1200×630). */
  header: string;
}

/** The actor with this identifier; the publication's handle wins over an author with the same slug. */
export async function siteActor(env: Env, db: Db, identifier: string): Promise<SiteActor | undefined> {
  const site = siteConfig(env);
  if (identifier === site.fediverseHandle) {
    return {
      kind: 'publication',
      identifier,
      name: site.name,
      summary: site.tagline,
      url: site.url,
      icon: { url: absoluteUrl(site.url, LOGO_PATH), mediaType: 'image/png' },
      header: absoluteUrl(site.url, DEFAULT_SHARE_IMAGE),
    };
  }
  const [author] = await authorBySlugQuery(db, identifier);
  if (!author) return undefined;
  return {
    kind: 'author',
    identifier,
    name: author.name,
    summary: author.bio,
    url: absoluteUrl(site.url, authorPath(author.slug)),
    icon: author.photoHash
      ? { url: absoluteUrl(site.url, shareImagePath(author.photoHash)), mediaType: 'image/jpeg' }
      : null,
    header: absoluteUrl(site.url, DEFAULT_SHARE_IMAGE),
  };
}
