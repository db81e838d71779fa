import { and, desc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { normalizeCommentEmail } from '../comments/normalize';
import { notificationDataQuery } from '../comments/notify-queries';
import type { Db } from '../db/client';
import { articles, commentFollowers, comments, gifts, members, subscribers } from '../db/schema';
import { memberDataQuery } from '../members/member-queries';
import { paidDataQueries } from '../paid/paid-privacy';

const sameAddress = (
  column: typeof comments.authorEmail | typeof subscribers.email | typeof members.email | typeof gifts.buyerEmail,
  email: string,
) => sql`lower(${column}) = lower(${email})`;

/** The account and its paid access, every comment, subscription and comment notification stored under `email` (compared without case), for a data request. */
export async function readerData(db: Db, email: string) {
  const [commentRows, subscriptionRows, notificationRows, memberRows, ...paid] = await db.batch([
    db
      .select({
        id: comments.id,
        article: articles.headline,
        articleSlug: articles.slug,
        articlePublishedAt: articles.publishedAt,
        inReplyTo: comments.parentId,
        name: comments.authorName,
        email: comments.authorEmail,
        text: comments.body,
        status: comments.status,
        postedAt: comments.createdAt,
        editedAt: comments.editedAt,
        networkAddressHash: comments.ipHash,
      })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(sameAddress(comments.authorEmail, email))
      .orderBy(desc(comments.createdAt)),
    db
      .select({
        email: subscribers.email,
        status: subscribers.status,
        signedUpAt: subscribers.createdAt,
        confirmedAt: subscribers.confirmedAt,
        unsubscribedAt: subscribers.unsubscribedAt,
      })
      .from(subscribers)
      .where(sameAddress(subscribers.email, email)),
    notificationDataQuery(db, normalizeCommentEmail(email)),
    memberDataQuery(db, email),
    ...paidDataQueries(db, email),
  ]);
  const [paidSubscriptions, payments, complimentaryAccess, gifts] = paid;
  return {
    account: memberRows[0] ?? null,
    paidAccess: {
      subscriptions: paidSubscriptions,
      payments,
      complimentaryAccess: complimentaryAccess[0] ?? null,
      gifts,
    },
    comments: commentRows,
    subscriptions: subscriptionRows,
    notifications: notificationRows,
  };
}

export type ReaderData = Awaited<ReturnType<typeof readerData>>;

/** Passes of "delete what nobody replies to" before the rest is emptied in place: threads are rarely deeper. */
const MAX_DELETE_PASSES = 10;

/**
 * Erases a reader's comments: each one nobody replies to is deleted (a reply of their own that is
 * deleted first no longer counts); the others keep their place in their threads with name, email,
 * text and network hash emptied (`removal = 'erased'`). Returns the articles whose pages changed.
 */
export async function eraseComments(db: Db, email: string, now: Date): Promise<number[]> {
  const mine = sameAddress(comments.authorEmail, email);
  const touched = new Set<number>();
  for (let pass = 0; pass < MAX_DELETE_PASSES; pass++) {
    const deleted = await db
      .delete(comments)
      .where(
        and(
          mine,
          sql`not exists (select 1 from ${comments} as reply where reply.parent_id = ${comments.id} or reply.root_id = ${comments.id})`,
        ),
      )
      .returning({ articleId: comments.articleId });
    for (const row of deleted) touched.add(row.articleId);
    if (deleted.length === 0) break;
  }
  const emptied = await db
    .update(comments)
    .set({
      authorName: '',
      authorEmail: '',
      body: '',
      bodyHash: sql`'erased:' || ${comments.id}`,
      ipHash: null,
      removal: 'erased',
      moderatedAt: now,
    })
    .where(mine)
    .returning({ articleId: comments.articleId });
  for (const row of emptied) touched.add(row.articleId);
  return [...touched];
}

/** The subscriber rows stored under `email`, for erasure through the newsletter's own `eraseSubscriber`. */
export async function subscriberIdsByEmail(db: Db, email: string): Promise<number[]> {
  const rows = await db.select({ id: subscribers.id }).from(subscribers).where(sameAddress(subscribers.email, email));
  return rows.map((row) => row.id);
}

/** Empties the network-address hash of every comment posted before `cutoff`; returns how many were emptied. */
export async function forgetNetworkHashes(db: Db, cutoff: Date): Promise<number> {
  const forgotten = await db
    .update(comments)
    .set({ ipHash: null })
    .where(and(isNotNull(comments.ipHash), lt(comments.createdAt, cutoff)))
    .returning({ id: comments.id });
  return forgotten.length;
}

/** Whether anything at all is stored under `email`: only then is a data link mailed. */
export async function holdsDataFor(db: Db, email: string): Promise<boolean> {
  const [row] = await db
    .select({
      found: sql<number>`exists (select 1 from ${comments} where ${sameAddress(comments.authorEmail, email)})
        or exists (select 1 from ${subscribers} where ${sameAddress(subscribers.email, email)})
        or exists (select 1 from ${members} where ${sameAddress(members.email, email)})
        or exists (select 1 from ${gifts} where ${sameAddress(gifts.buyerEmail, email)})
        or exists (select 1 from ${commentFollowers} where ${commentFollowers.email} = ${normalizeCommentEmail(email)})`,
    })
    .from(sql`(select 1)`);
  return Boolean(row?.found);
}
