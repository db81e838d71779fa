import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import type { ArticleAccess } from '../db/schema';
import type { AccessLevel } from '../page-cache';

/** What a reader may read: an anonymous reader public articles, a member also members' articles, a paid member all. */
export type ReaderAccess = 'anonymous' | AccessLevel;

/**
 * The one rule for a reader's access: no member is anonymous, a member whose `paidUntil` is still
 * ahead is paid, any other member is a member.
 */
export function readerAccess(member: { paidUntil: Date | null } | undefined, now: Date): ReaderAccess {
  if (!member) return 'anonymous';
  return member.paidUntil !== null && member.paidUntil > now ? 'paid' : 'member';
}

const READS: Record<ReaderAccess, readonly ArticleAccess[]> = {
  anonymous: ['public'],
  member: ['public', 'members'],
  paid: ['public', 'members', 'paid'],
};

/** Whether a reader with `reader` access gets an article's whole body, or its teaser. */
export const readsWhole = (article: ArticleAccess, reader: ReaderAccess) => READS[reader].includes(article);

/** The access of the reader making this request (set by memberSession before any page route). */
export const requestAccess = (c: Context<AppEnv>) => readerAccess(c.var.member, new Date());
