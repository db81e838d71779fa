import type { Recipient } from '@fedify/vocab';
import { and, asc, count, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import { joinedColumns } from '../db/articles';
import type { Db } from '../db/client';
import {
  articles,
  articleTags,
  authors,
  comments,
  fediverseFollowers,
  fediverseReactions,
  type ReactionKind,
  tags,
} from '../db/schema';

/** An author who can be followed: their slug is their handle. */
export function authorBySlugQuery(db: Db, slug: string) {
  return db
    .select({ slug: authors.slug, name: authors.name, bio: authors.bio, photoHash: authors.photoHash })
    .from(authors)
    .where(eq(authors.slug, slug))
    .limit(1);
}

/** A published article as the fediverse sees it (with its author's handle and its tags, the teaser as its body if it is not public); undefined before it is out. */
export async function federatedArticle(db: Db, id: number, now = new Date()) {
  const [[article], articleTagRows] = await db.batch([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        headline: articles.headline,
        standfirst: articles.standfirst,
        access: articles.access,
        bodyHtml: articles.bodyHtml,
        teaserHtml: articles.teaserHtml,
        heroImageUrl: articles.heroImageUrl,
        heroImageAlt: articles.heroImageAlt,
        publishedAt: articles.publishedAt,
        updatedAt: articles.updatedAt,
        author: joinedColumns.authorSlug,
      })
      .from(articles)
      .innerJoin(authors, eq(authors.id, articles.authorId))
      .where(and(eq(articles.id, id), eq(articles.status, 'published'), lte(articles.publishedAt, now)))
      .limit(1),
    db
      .select({ slug: tags.slug, name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, id)),
  ]);
  if (!article?.publishedAt) return undefined;
  const { access, bodyHtml, teaserHtml, ...rest } = article;
  // Anyone may fetch an Article: one for members or paid members carries its teaser, never the rest.
  return {
    ...rest,
    bodyHtml: access === 'public' ? bodyHtml : teaserHtml,
    publishedAt: article.publishedAt,
    tags: articleTagRows,
  };
}
export type FederatedArticle = NonNullable<Awaited<ReturnType<typeof federatedArticle>>>;

/** The article's status, time and author's handle: whether it is out, or when it will be. */
export function articlePublicationQuery(db: Db, id: number) {
  return db
    .select({ status: articles.status, publishedAt: articles.publishedAt, author: authors.slug })
    .from(articles)
    .innerJoin(authors, eq(authors.id, articles.authorId))
    .where(eq(articles.id, id))
    .limit(1);
}

export interface NewFollower {
  actor: string;
  followerId: string;
  inbox: string;
  sharedInbox: string | null;
  handle: string;
  name: string;
  url: string | null;
}

/** Keeps a follower (a repeated Follow refreshes their inbox and name). */
export function addFollower(db: Db, follower: NewFollower) {
  const { actor: _, followerId: __, ...refreshed } = follower;
  return db
    .insert(fediverseFollowers)
    .values(follower)
    .onConflictDoUpdate({ target: [fediverseFollowers.actor, fediverseFollowers.followerId], set: refreshed });
}

export function removeFollower(db: Db, actor: string, followerId: string) {
  return db
    .delete(fediverseFollowers)
    .where(and(eq(fediverseFollowers.actor, actor), eq(fediverseFollowers.followerId, followerId)));
}

/** Forgets the followers behind an inbox that is gone for good (410 Gone, 404): theirs, or their server's shared one. */
export function removeFollowersAt(db: Db, inbox: string) {
  return db
    .delete(fediverseFollowers)
    .where(or(eq(fediverseFollowers.inbox, inbox), eq(fediverseFollowers.sharedInbox, inbox)));
}

/** The article a reply (a Note's id) was received under, through comments_source_url_idx. */
export async function articlesRepliedBy(db: Db, source: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ articleId: comments.articleId })
    .from(comments)
    .where(eq(comments.sourceUrl, source));
  return rows.map((row) => row.articleId);
}

/** Whether anyone follows one of these actors (fediverse_followers_actor_follower_idx): one row read at most. */
export async function hasFollowers(db: Db, actors: string[]): Promise<boolean> {
  const [row] = await db
    .select({ id: fediverseFollowers.id })
    .from(fediverseFollowers)
    .where(inArray(fediverseFollowers.actor, actors))
    .limit(1);
  return row !== undefined;
}

/** Where an activity of these actors goes: their followers' inboxes (each follower once). */
export async function followerInboxes(db: Db, actors: string[]): Promise<Recipient[]> {
  const rows = await db
    .selectDistinct({
      followerId: fediverseFollowers.followerId,
      inbox: fediverseFollowers.inbox,
      sharedInbox: fediverseFollowers.sharedInbox,
    })
    .from(fediverseFollowers)
    .where(inArray(fediverseFollowers.actor, actors));
  return rows.map(recipient);
}

/** A follower as Fedify addresses them: their inbox, and their server's shared inbox if it has one. */
export const recipient = (row: { followerId: string; inbox: string; sharedInbox: string | null }): Recipient => ({
  id: new URL(row.followerId),
  inboxId: new URL(row.inbox),
  endpoints: row.sharedInbox ? { sharedInbox: new URL(row.sharedInbox) } : null,
});

/** One page of an actor's followers, oldest first, after the follower row `after`. */
export function followersPage(db: Db, actor: string, after: number, limit: number) {
  return db
    .select({
      id: fediverseFollowers.id,
      followerId: fediverseFollowers.followerId,
      inbox: fediverseFollowers.inbox,
      sharedInbox: fediverseFollowers.sharedInbox,
    })
    .from(fediverseFollowers)
    .where(and(eq(fediverseFollowers.actor, actor), gt(fediverseFollowers.id, after)))
    .orderBy(asc(fediverseFollowers.id))
    .limit(limit);
}

export async function followerCount(db: Db, actor: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(fediverseFollowers).where(eq(fediverseFollowers.actor, actor));
  return row?.n ?? 0;
}

/** Every follower of every actor of the site, newest first: the admin's list. */
export function allFollowers(db: Db, limit: number) {
  return db.select().from(fediverseFollowers).orderBy(desc(fediverseFollowers.createdAt)).limit(limit);
}

export function addReaction(db: Db, reaction: { articleId: number; kind: ReactionKind; actorId: string }) {
  return db.insert(fediverseReactions).values(reaction).onConflictDoNothing();
}

export function removeReaction(db: Db, reaction: { articleId: number; kind: ReactionKind; actorId: string }) {
  return db
    .delete(fediverseReactions)
    .where(
      and(
        eq(fediverseReactions.articleId, reaction.articleId),
        eq(fediverseReactions.kind, reaction.kind),
        eq(fediverseReactions.actorId, reaction.actorId),
      ),
    );
}

/** Likes and boosts per article, the most reacted-to first: what editors see. */
export function reactionCounts(db: Db, limit: number) {
  const likes = sql<number>`sum(${fediverseReactions.kind} = 'like')`.mapWith(Number);
  const boosts = sql<number>`sum(${fediverseReactions.kind} = 'announce')`.mapWith(Number);
  return db
    .select({
      id: articles.id,
      slug: articles.slug,
      headline: articles.headline,
      publishedAt: articles.publishedAt,
      likes,
      boosts,
    })
    .from(fediverseReactions)
    .innerJoin(articles, eq(articles.id, fediverseReactions.articleId))
    .groupBy(articles.id)
    .orderBy(desc(count()))
    .limit(limit);
}

/** The site's figures NodeInfo reports: its authors and published articles. */
export async function siteUsage(db: Db) {
  const [[people], [posts]] = await db.batch([
    db.select({ n: count() }).from(authors),
    db.select({ n: count() }).from(articles).where(eq(articles.status, 'published')),
  ]);
  return { authors: people?.n ?? 0, articles: posts?.n ?? 0 };
}
