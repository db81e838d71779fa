import type { Federation, Message } from '@fedify/fedify';
import { Announce, Article, Create, Delete, PUBLIC_COLLECTION, Tombstone, Update } from '@fedify/vocab';
import { siteConfig } from '../config';
import { logEvent } from '../lib/log';
import { articleObject } from './article-object';
import { type FederationData, federation, federationData } from './federation';
import { type ArticleActivityMessage, articleActivitySchema, sendMessage } from './publish';
import { federatedArticle, followerInboxes } from './queries';

const recipients = followerInboxes;

/**
 * Sends one article activity: a Create from its author to the author's followers and an Announce from
 * the publication to its own; an Update or a Delete from the author to both. Each delivery becomes a
 * task on the queue (one inbox, or one server's shared inbox, each).
 */
async function sendArticleActivity(
  env: Env,
  fedi: Federation<FederationData>,
  data: FederationData,
  message: ArticleActivityMessage,
): Promise<void> {
  if (message.notBefore > Date.now()) return sendMessage(env, message);
  const site = siteConfig(env);
  const ctx = fedi.createContext(new URL(site.url), data);
  const author = ctx.getActorUri(message.author);
  const publication = site.fediverseHandle;
  const id = (verb: string) =>
    new URL(`#${verb}/${crypto.randomUUID()}`, ctx.getObjectUri(Article, { id: String(message.articleId) }));
  const options = { preferSharedInbox: true };
  if (message.change === 'delete') {
    const object = new Tombstone({ id: ctx.getObjectUri(Article, { id: String(message.articleId) }) });
    const activity = new Delete({ id: id('delete'), actor: author, to: PUBLIC_COLLECTION, object });
    return ctx.sendActivity(
      { identifier: message.author },
      await recipients(data.db, [message.author, publication]),
      activity,
      options,
    );
  }
  const article = await federatedArticle(data.db, message.articleId);
  if (!article) {
    // Taken back to draft, deleted, or rescheduled for later: a later publication queues its own.
    return;
  }
  const object = await articleObject(ctx, article);
  const addressed = { to: PUBLIC_COLLECTION, ccs: object.ccIds, object };
  if (message.change === 'update') {
    const activity = new Update({ id: id('update'), actor: author, ...addressed });
    return ctx.sendActivity(
      { identifier: article.author },
      await recipients(data.db, [article.author, publication]),
      activity,
      options,
    );
  }
  await ctx.sendActivity(
    { identifier: article.author },
    await recipients(data.db, [article.author]),
    new Create({ id: id('create'), actor: author, ...addressed }),
    options,
  );
  await ctx.sendActivity(
    { identifier: publication },
    await recipients(data.db, [publication]),
    new Announce({
      id: id('announce'),
      actor: ctx.getActorUri(publication),
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(publication),
      object,
    }),
    options,
  );
}

/** Seconds before a failed task is tried again: 1 min, 4, 16, 64… at most 12 h (a Queue's longest delay). */
export const retryDelaySeconds = (attempts: number) => Math.min(12 * 3600, 60 * 4 ** Math.max(0, attempts - 1));

/**
 * The fediverse queue's consumer: the article activities queued by publishing, and Fedify's own tasks
 * (fan-out to inboxes, one delivery each, received activities). A failed task is retried with
 * backoff up to the queue's `max_retries` (wrangler.toml), then given up. Each task makes at most
 * three subrequests (a delivery, which Fedify signs; an actor or object fetched), so a batch of 10
 * stays inside the 50 an invocation may make.
 */
export async function consumeFediverseBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const fedi = await federation(env);
  const data = federationData(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const article = articleActivitySchema.safeParse(message.body);
        if (article.success) await sendArticleActivity(env, fedi, data, article.data);
        else await fedi.processQueuedTask(data, message.body as Message);
        message.ack();
      } catch (error) {
        logEvent('warn', 'fediverse.task-failed', { attempts: message.attempts, error: String(error) });
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}
