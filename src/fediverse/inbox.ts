import type { InboxContext } from '@fedify/fedify';
import {
  Accept,
  Activity,
  type Actor,
  Announce,
  Article,
  type Create,
  type Delete,
  Follow,
  Like,
  Note,
  type Undo,
  type Update,
} from '@fedify/vocab';
import { domainBlockQuery } from '../comments/moderation/blocks';
import { siteConfig } from '../config';
import type { ReactionKind } from '../db/schema';
import { recordMention, withdrawMention } from '../webmention/mentions';
import { siteActor } from './actors';
import { articleIdAt } from './article-address';
import type { FederationData } from './federation';
import { noteText } from './note-text';
import { addFollower, addReaction, articlesRepliedBy, removeFollower, removeReaction } from './queries';

type Ctx = InboxContext<FederationData>;

/** Why a reply from the fediverse waits for a moderator: read in the moderation queue. */
export const HELD_AS_REPLY = 'a new reply from the fediverse';

/** An activity from a blocked domain (or one below it) is dropped, whatever it is. */
async function fromBlockedDomain(ctx: Ctx, activity: Activity): Promise<boolean> {
  const host = activity.actorId?.hostname;
  if (!host) return true;
  const [block] = await domainBlockQuery(ctx.data.db, host);
  return block !== undefined;
}

/** The article a URI names: its ActivityPub object or its page on the site; undefined for anything else. */
async function articleOf(ctx: Ctx, uri: URL | null): Promise<number | undefined> {
  if (!uri) return undefined;
  const parsed = ctx.parseUri(uri);
  if (parsed?.type === 'object' && parsed.class === Article) return Number(parsed.values.id) || undefined;
  return articleIdAt(ctx.data.db, siteConfig(ctx.data.env), uri);
}

const profileOf = (actor: Actor): URL | null => (actor.url instanceof URL ? actor.url : (actor.url?.href ?? actor.id));

/** A Follow of one of the site's actors: kept, and accepted at once. */
export async function onFollow(ctx: Ctx, follow: Follow): Promise<void> {
  if (!follow.id || !follow.objectId || (await fromBlockedDomain(ctx, follow))) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== 'actor' || !(await siteActor(ctx.data.env, ctx.data.db, target.identifier))) return;
  const follower = await follow.getActor(ctx);
  if (!follower?.id || !follower.inboxId || follower.id.href !== follow.actorId?.href) return;
  await addFollower(ctx.data.db, {
    actor: target.identifier,
    followerId: follower.id.href,
    inbox: follower.inboxId.href,
    sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
    handle: `@${follower.preferredUsername ?? '?'}@${follower.id.host}`,
    name: follower.name?.toString() ?? '',
    url: profileOf(follower)?.href ?? null,
  });
  const actor = ctx.getActorUri(target.identifier);
  await ctx.sendActivity(
    { identifier: target.identifier },
    follower,
    new Accept({ id: new URL(`#accepts/${crypto.randomUUID()}`, actor), actor, object: follow }),
  );
}

const REACTIONS = [
  [Like, 'like'],
  [Announce, 'announce'],
] as const;

async function react(ctx: Ctx, activity: Like | Announce, kind: ReactionKind, undone: boolean) {
  const articleId = await articleOf(ctx, activity.objectId);
  if (!articleId || !activity.actorId) return;
  const reaction = { articleId, kind, actorId: activity.actorId.href };
  await (undone ? removeReaction(ctx.data.db, reaction) : addReaction(ctx.data.db, reaction));
}

/** A Like of an article: counted for editors. */
export async function onLike(ctx: Ctx, like: Like): Promise<void> {
  if (!(await fromBlockedDomain(ctx, like))) await react(ctx, like, 'like', false);
}

/** An Announce (a boost) of an article: counted for editors. */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  if (!(await fromBlockedDomain(ctx, announce))) await react(ctx, announce, 'announce', false);
}

/** An Undo of its sender's own Follow, Like or Announce. */
export async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  if (await fromBlockedDomain(ctx, undo)) return;
  const object = await undo.getObject(ctx);
  if (!(object instanceof Activity) || !undo.actorId || object.actorId?.href !== undo.actorId.href) return;
  if (object instanceof Follow) {
    const target = object.objectId && ctx.parseUri(object.objectId);
    if (target && target.type === 'actor') await removeFollower(ctx.data.db, target.identifier, undo.actorId.href);
    return;
  }
  for (const [type, kind] of REACTIONS) if (object instanceof type) await react(ctx, object, kind, true);
}

/**
 * A reply to an article (a Note `inReplyTo` its object or its page), new or edited by its author: a
 * comment under its author's name and profile, through the site's moderation as a Webmention is
 * (src/webmention/mentions.ts). An edit of an approved reply shows at once, marked edited.
 */
async function onReply(ctx: Ctx, activity: Create | Update): Promise<void> {
  if (await fromBlockedDomain(ctx, activity)) return;
  const note = await activity.getObject(ctx);
  if (!(note instanceof Note) || !note.id || note.attributionId?.href !== activity.actorId?.href) return;
  const articleId = await articleOf(ctx, note.replyTargetId);
  if (!articleId) return;
  const author = await activity.getActor(ctx);
  if (!author?.id) return;
  await recordMention(ctx.data.env, ctx.data.db, {
    articleId,
    source: note.id.href,
    content: {
      authorName: author.name?.toString() || `@${author.preferredUsername ?? '?'}@${author.id.host}`,
      text: noteText(note.content?.toString() ?? ''),
      authorUrl: (profileOf(author) ?? author.id).href,
    },
    now: new Date(),
    heldAs: HELD_AS_REPLY,
  });
}

export const onCreate = (ctx: Ctx, create: Create) => onReply(ctx, create);
export const onUpdate = (ctx: Ctx, update: Update) => onReply(ctx, update);

/** Why a reply that was shown is not any more: read by moderators in the queue. */
export const DELETED_BY_AUTHOR = 'deleted by its author on the fediverse';

/**
 * A Delete of a reply (its Tombstone or its id): the comment is taken down. Only the reply's own server
 * may delete it: Fedify has verified the activity's signature, and the reply must live where its actor does.
 */
export async function onDelete(ctx: Ctx, deletion: Delete): Promise<void> {
  const source = deletion.objectId;
  if (!source || !deletion.actorId || source.origin !== deletion.actorId.origin) return;
  const now = new Date();
  for (const articleId of await articlesRepliedBy(ctx.data.db, source.href)) {
    await withdrawMention(ctx.data.env, ctx.data.db, {
      articleId,
      source: source.href,
      now,
      reason: DELETED_BY_AUTHOR,
    });
  }
}
