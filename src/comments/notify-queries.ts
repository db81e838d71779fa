import { and, count, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { articleFollows, articles, commentFollowers, comments, type NotifyMode, notifyDeliveries } from '../db/schema';

const parent = alias(comments, 'parent');

/** An unconfirmed address gets its confirmation again at most this often. */
const CONFIRMATION_RESEND_MS = 10 * 60_000;
/** A queued send this overdue was lost (the queue refused it, or its Worker died): the next comment queues a new one. */
const LOST_SEND_MS = 60 * 60_000;

/** The article a comment is on, and the comment's status. */
export async function commentArticle(db: Db, commentId: number) {
  const [row] = await db
    .select({ id: articles.id, headline: articles.headline, status: comments.status })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(eq(comments.id, commentId));
  return row;
}

/**
 * Follows an article for an address: replies to its comments, or every new comment (`all` wins over
 * `replies`). Returns the follower, and whether a confirmation email is due (a new or unconfirmed
 * address, none sent in the last 10 minutes); a confirmed address gets none.
 */
export async function followArticle(
  db: Db,
  { email, articleId, mode, now }: { email: string; articleId: number; mode: NotifyMode; now: Date },
): Promise<{ followerId: number; confirmationDue: boolean }> {
  await db.insert(commentFollowers).values({ email }).onConflictDoNothing();
  const [follower] = await db
    .select({ id: commentFollowers.id })
    .from(commentFollowers)
    .where(eq(commentFollowers.email, email));
  const followerId = follower!.id;
  const [, claimed] = await db.batch([
    db
      .insert(articleFollows)
      .values({ followerId, articleId, mode })
      .onConflictDoUpdate({
        target: [articleFollows.followerId, articleFollows.articleId],
        set: { mode: sql`case when excluded.mode = 'all' then 'all' else ${articleFollows.mode} end` },
      }),
    db
      .update(commentFollowers)
      .set({ confirmationSentAt: now })
      .where(
        and(
          eq(commentFollowers.id, followerId),
          eq(commentFollowers.status, 'unconfirmed'),
          or(
            isNull(commentFollowers.confirmationSentAt),
            lt(commentFollowers.confirmationSentAt, new Date(now.getTime() - CONFIRMATION_RESEND_MS)),
          ),
        ),
      )
      .returning({ id: commentFollowers.id }),
  ]);
  return { followerId, confirmationDue: claimed.length > 0 };
}

/** A confirmation that could not be sent: the address may ask again at once. */
export async function releaseConfirmation(db: Db, followerId: number, sentAt: Date): Promise<void> {
  await db
    .update(commentFollowers)
    .set({ confirmationSentAt: null })
    .where(and(eq(commentFollowers.id, followerId), eq(commentFollowers.confirmationSentAt, sentAt)));
}

/** Confirms an address; false if it is gone (it unsubscribed from everything since the link was sent). */
export async function confirmFollower(db: Db, followerId: number, now: Date): Promise<boolean> {
  const [row] = await db
    .update(commentFollowers)
    .set({ status: 'confirmed', confirmedAt: sql`coalesce(${commentFollowers.confirmedAt}, ${now.getTime()})` })
    .where(eq(commentFollowers.id, followerId))
    .returning({ id: commentFollowers.id });
  return row !== undefined;
}

/** Stops one article's emails to one address (nothing to do if already stopped). */
export async function unfollowArticle(db: Db, followId: number): Promise<void> {
  await db.delete(articleFollows).where(eq(articleFollows.id, followId));
}

/** Stops every email to an address, forgetting it (its articles and deliveries go with it). */
export async function forgetFollower(db: Db, followerId: number): Promise<void> {
  await db.delete(commentFollowers).where(eq(commentFollowers.id, followerId));
}

/** The same, by address: for a reader's erasure request. Returns how many addresses were forgotten. */
export async function forgetFollowerByEmail(db: Db, email: string): Promise<number> {
  const gone = await db
    .delete(commentFollowers)
    .where(eq(commentFollowers.email, email))
    .returning({ id: commentFollowers.id });
  return gone.length;
}

/** A scheduled send of one follow's pending deliveries, as queued. */
export interface DueSend {
  followId: number;
  sendAt: number;
}

/**
 * A newly published comment's deliveries: one for every confirmed address following its article
 * that asked for every comment, or whose comment it answers, except its author's own address. The
 * (follower, comment) pair is unique, so publishing twice adds nothing. Then each subscription with
 * no send queued gets one, due when its batch window allows: those are the sends to queue.
 */
export async function addCommentDeliveries(
  db: Db,
  { commentId, now, batchWindowMs }: { commentId: number; now: Date; batchWindowMs: number },
): Promise<DueSend[]> {
  const d = notifyDeliveries;
  const s = articleFollows;
  const r = commentFollowers;
  await db.run(
    sql`insert into ${d} (${sql.identifier(d.followerId.name)}, ${sql.identifier(d.followId.name)}, ${sql.identifier(d.commentId.name)})
      select ${s.followerId}, ${s.id}, ${comments.id}
      from ${comments}
      join ${s} on ${s.articleId} = ${comments.articleId}
      join ${r} on ${r.id} = ${s.followerId}
      where ${comments.id} = ${commentId} and ${comments.status} = 'approved' and ${comments.removal} is null
        and ${r.status} = 'confirmed' and ${r.email} <> ${comments.authorEmail}
        and (${s.mode} = 'all' or ${r.email} = (select parent.author_email from ${comments} as parent where parent.id = ${comments.parentId}))
      on conflict do nothing`,
  );
  const scheduled = await db
    .update(s)
    .set({ nextSendAt: sql`max(${now.getTime()}, coalesce(${s.lastSentAt}, 0) + ${batchWindowMs})` })
    .where(
      and(
        or(isNull(s.nextSendAt), lt(s.nextSendAt, new Date(now.getTime() - LOST_SEND_MS))),
        inArray(
          s.id,
          db
            .select({ id: d.followId })
            .from(d)
            .where(and(eq(d.commentId, commentId), eq(d.status, 'pending'))),
        ),
      ),
    )
    .returning({ followId: s.id, sendAt: s.nextSendAt });
  return scheduled.map((row) => ({ followId: row.followId, sendAt: row.sendAt!.getTime() }));
}

/**
 * Takes the send a queue message announces. Only the message of the send now scheduled can: a
 * redelivered or outdated one finds another time (or none) and gets undefined.
 */
export async function claimSend(db: Db, { followId, sendAt }: DueSend, now: Date) {
  const [claimed] = await db
    .update(articleFollows)
    .set({ nextSendAt: null, lastSentAt: now })
    .where(and(eq(articleFollows.id, followId), eq(articleFollows.nextSendAt, new Date(sendAt))))
    .returning({ followerId: articleFollows.followerId, articleId: articleFollows.articleId });
  return claimed;
}

/** Puts a claimed send back on the schedule, for its message's retry. */
export async function rescheduleSend(db: Db, { followId, sendAt }: DueSend): Promise<void> {
  await db
    .update(articleFollows)
    .set({ nextSendAt: new Date(sendAt) })
    .where(and(eq(articleFollows.id, followId), isNull(articleFollows.nextSendAt)));
}

/**
 * Takes the subscription's pending deliveries for sending (counting the attempt): only one caller
 * gets each. Returns the highest attempt among them; 0 when there was nothing to take.
 */
export async function claimDeliveries(db: Db, followId: number): Promise<number> {
  const claimed = await db
    .update(notifyDeliveries)
    .set({ status: 'sending', attempts: sql`${notifyDeliveries.attempts} + 1` })
    .where(and(eq(notifyDeliveries.followId, followId), eq(notifyDeliveries.status, 'pending')))
    .returning({ attempts: notifyDeliveries.attempts });
  return Math.max(0, ...claimed.map((row) => row.attempts));
}

const claimedBy = (followId: number) =>
  and(eq(notifyDeliveries.followId, followId), eq(notifyDeliveries.status, 'sending'));

/** Skips the claimed deliveries whose comment readers no longer see (deleted, marked spam, removed by its author). */
export async function skipUnpublished(db: Db, followId: number): Promise<void> {
  await db
    .update(notifyDeliveries)
    .set({ status: 'skipped' })
    .where(
      and(
        claimedBy(followId),
        sql`${notifyDeliveries.commentId} not in (select ${comments.id} from ${comments} where ${comments.status} = 'approved' and ${comments.removal} is null)`,
      ),
    );
}

/**
 * Ends the claimed deliveries: sent, skipped, or (after a failed send) back to pending, except those
 * that have had their last attempt, which fail.
 */
export async function finishDeliveries(
  db: Db,
  followId: number,
  outcome: { status: 'sent' | 'skipped'; sentAt?: Date } | { status: 'retry'; lastError: string; maxAttempts: number },
): Promise<void> {
  await db
    .update(notifyDeliveries)
    .set(
      outcome.status === 'retry'
        ? {
            status: sql`case when ${notifyDeliveries.attempts} >= ${outcome.maxAttempts} then 'failed' else 'pending' end`,
            lastError: outcome.lastError,
          }
        : { status: outcome.status, sentAt: outcome.sentAt ?? null },
    )
    .where(claimedBy(followId));
}

/** How many comments one email shows at most; it links to the article for the rest. */
export const MAX_COMMENTS_PER_EMAIL = 10;

/**
 * What one notification email needs: the address (if still confirmed), the article, the claimed
 * comments (the first few), how many there are, and whether each answers one of the follower's
 * own. Never the commenters' addresses.
 */
export async function notificationContent(
  db: Db,
  { followId, followerId, articleId }: { followId: number; followerId: number; articleId: number },
) {
  const [[follower], [article], rows, [total]] = await db.batch([
    db
      .select({ email: commentFollowers.email, status: commentFollowers.status })
      .from(commentFollowers)
      .where(eq(commentFollowers.id, followerId)),
    db
      .select({ headline: articles.headline, slug: articles.slug, publishedAt: articles.publishedAt })
      .from(articles)
      .where(eq(articles.id, articleId)),
    db
      .select({
        id: comments.id,
        rootId: comments.rootId,
        authorName: comments.authorName,
        body: comments.body,
        answersFollower: sql<number>`coalesce(${parent.authorEmail} = ${commentFollowers.email}, 0)`,
      })
      .from(notifyDeliveries)
      .innerJoin(comments, eq(comments.id, notifyDeliveries.commentId))
      .innerJoin(commentFollowers, eq(commentFollowers.id, notifyDeliveries.followerId))
      .leftJoin(parent, eq(parent.id, comments.parentId))
      .where(claimedBy(followId))
      .orderBy(comments.createdAt, comments.id)
      .limit(MAX_COMMENTS_PER_EMAIL),
    db.select({ count: count() }).from(notifyDeliveries).where(claimedBy(followId)),
  ]);
  return {
    follower: follower?.status === 'confirmed' ? follower : undefined,
    article,
    comments: rows.map((row) => ({ ...row, answersFollower: Boolean(row.answersFollower) })),
    total: total?.count ?? 0,
  };
}

/** Everything stored about an address's notifications, for a reader's data request. */
export function notificationDataQuery(db: Db, email: string) {
  return db
    .select({
      email: commentFollowers.email,
      status: commentFollowers.status,
      confirmedAt: commentFollowers.confirmedAt,
      article: articles.headline,
      mode: articleFollows.mode,
      followingSince: articleFollows.createdAt,
      lastEmailAt: articleFollows.lastSentAt,
      emailsSent: sql<number>`(select count(*) from ${notifyDeliveries} where ${notifyDeliveries.followId} = "notify_subscriptions"."id" and ${notifyDeliveries.status} = 'sent')`,
    })
    .from(commentFollowers)
    .leftJoin(articleFollows, eq(articleFollows.followerId, commentFollowers.id))
    .leftJoin(articles, eq(articles.id, articleFollows.articleId))
    .where(eq(commentFollowers.email, email))
    .orderBy(desc(articleFollows.createdAt));
}
