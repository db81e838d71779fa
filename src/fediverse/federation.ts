import { createFederationBuilder, type Federation } from '@fedify/fedify';
import {
  Announce,
  Article,
  Create,
  Delete,
  Endpoints,
  Follow,
  Image,
  Like,
  Organization,
  Person,
  PropertyValue,
  Undo,
  Update,
} from '@fedify/vocab';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { primaryDb } from '../db/client';
import { siteActor } from './actors';
import { articleObject } from './article-object';
import { WorkersKv, WorkersQueue } from './bindings';
import { onAnnounce, onCreate, onDelete, onFollow, onLike, onUndo, onUpdate } from './inbox';
import { actorKeyPairs } from './keys';
import { federatedArticle, followerCount, followersPage, recipient, removeFollowersAt, siteUsage } from './queries';

/** What every Fedify callback is given: the Worker's bindings and the primary database. */
export interface FederationData {
  env: Env;
  db: Db;
}

const ACTOR_PATH = '/ap/actors/{identifier}';
const FOLLOWERS_PAGE_SIZE = 100;

const builder = createFederationBuilder<FederationData>();

builder
  .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
    const actor = await siteActor(ctx.data.env, ctx.data.db, identifier);
    if (!actor) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    const values = {
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: actor.name,
      summary: actor.summary || null,
      url: new URL(actor.url),
      icon: actor.icon ? new Image({ url: new URL(actor.icon.url), mediaType: actor.icon.mediaType }) : null,
      image: new Image({ url: new URL(actor.header), mediaType: 'image/jpeg' }),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      following: ctx.getFollowingUri(identifier),
      publicKey: keys[0]?.cryptographicKey ?? null,
      assertionMethods: keys.map((key) => key.multikey),
      manuallyApprovesFollowers: false,
      discoverable: true,
      indexable: true,
      attachments: [new PropertyValue({ name: 'Website', value: `<a href="${actor.url}">${actor.url}</a>` })],
    };
    return actor.kind === 'publication' ? new Organization(values) : new Person(values);
  })
  .setKeyPairsDispatcher(async (ctx, identifier) =>
    (await siteActor(ctx.data.env, ctx.data.db, identifier)) ? actorKeyPairs(ctx.data.db, identifier) : [],
  );

builder
  .setFollowersDispatcher('/ap/actors/{identifier}/followers', async (ctx, identifier, cursor) => {
    if (cursor === null) return null;
    const rows = await followersPage(ctx.data.db, identifier, Number(cursor) || 0, FOLLOWERS_PAGE_SIZE);
    const last = rows.at(-1);
    return {
      items: rows.map(recipient),
      nextCursor: rows.length === FOLLOWERS_PAGE_SIZE && last ? String(last.id) : null,
    };
  })
  .setFirstCursor(() => '0')
  .setCounter((ctx, identifier) => followerCount(ctx.data.db, identifier));

// The site's actors follow no one.
builder.setFollowingDispatcher('/ap/actors/{identifier}/following', () => ({ items: [] })).setCounter(() => 0);

// fediverseArticlePath (src/paths.ts) names the same address.
builder.setObjectDispatcher(Article, '/ap/articles/{id}', async (ctx, { id }) => {
  const article = await federatedArticle(ctx.data.db, Number(id));
  return article ? articleObject(ctx, article) : null;
});

builder.setNodeInfoDispatcher('/nodeinfo/2.1', async (ctx) => {
  const usage = await siteUsage(ctx.data.db);
  return {
    software: { name: 'edgepress', version: '0.1.0' },
    protocols: ['activitypub'],
    openRegistrations: false,
    usage: {
      users: { total: usage.authors + 1 },
      localPosts: usage.articles,
      localComments: 0,
    },
  };
});

builder
  .setInboxListeners('/ap/actors/{identifier}/inbox', '/ap/inbox')
  .on(Follow, onFollow)
  .on(Undo, onUndo)
  .on(Like, onLike)
  .on(Announce, onAnnounce)
  .on(Create, onCreate)
  .on(Update, onUpdate)
  .on(Delete, onDelete);

// The server says the inbox is gone (404, 410): its followers are forgotten rather than tried again.
builder.setOutboxPermanentFailureHandler(async (ctx, { inbox }) => {
  await removeFollowersAt(ctx.data.db, inbox.href);
});

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const built = new WeakMap<Env, Promise<Federation<FederationData>>>();

/**
 * The federation for these bindings, built once per isolate: its cache in FEDIVERSE_CACHE (KV), its
 * deliveries and received activities on FEDIVERSE_QUEUE. Only a site served from a loopback address
 * (local runs and tests) may fetch other private addresses; a deployed site never can.
 */
export function federation(env: Env): Promise<Federation<FederationData>> {
  let federation = built.get(env);
  if (!federation) {
    const origin = siteConfig(env).url;
    federation = builder.build({
      kv: new WorkersKv(env.FEDIVERSE_CACHE),
      queue: new WorkersQueue(env.FEDIVERSE_QUEUE),
      // The Worker's queue handler hands each message to processQueuedTask (src/fediverse/outbox.ts).
      manuallyStartQueue: true,
      origin,
      allowPrivateAddress: LOOPBACK.test(new URL(origin).hostname),
      userAgent: { software: 'edgepress', url: new URL(origin) },
      // Mastodon and most servers read draft-cavage signatures: one knock per delivery, not two.
      firstKnock: 'draft-cavage-http-signatures-12',
    });
    built.set(env, federation);
  }
  return federation;
}

export const federationData = (env: Env): FederationData => ({ env, db: primaryDb(env) });
