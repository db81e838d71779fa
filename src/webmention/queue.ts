import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { logEvent } from '../lib/log';
import { FETCH_TIMEOUT_MS, fetchBounded, SUBREQUESTS_PER_FETCH } from './bounded-fetch';
import { discoverEndpoint } from './discovery';
import { recordMention, withdrawMention } from './mentions';
import { delayUntil } from './send';
import { linksTo, mentionContent } from './source-page';
import { articleAt } from './target';

/**
 * A message on WEBMENTION_QUEUE: a mention another site sent us, to verify (`receive`), or one of
 * ours, to send to the page it links to (`send`).
 */
export type WebmentionMessage = {
  kind: 'receive' | 'send';
  source: string;
  target: string;
  /** Not handled before this time (epoch ms): a scheduled article's mentions wait for it, beyond the queue's longest delay. */
  notBefore?: number;
};

/**
 * Messages one consumer invocation handles. The costliest (`send`) makes at most
 * 2 × SUBREQUESTS_PER_FETCH − MAX_REDIRECTS = 4 subrequests (the target and its redirects, then one
 * POST): 10 of them are 40, inside the Free plan's 50 a Worker invocation may make. wrangler.toml's
 * `max_batch_size = 10` says the same.
 */
export const MESSAGES_PER_INVOCATION = 10;
export const SUBREQUESTS_PER_SEND = SUBREQUESTS_PER_FETCH + 1;

const isWebmentionMessage = (body: unknown): body is WebmentionMessage => {
  const message = body as Partial<WebmentionMessage> | null;
  return (
    (message?.kind === 'receive' || message?.kind === 'send') &&
    typeof message.source === 'string' &&
    typeof message.target === 'string'
  );
};

/** A failure worth trying again later: the other site did not answer, or answered with a server error. */
class TryLater extends Error {}

/** Seconds before a message is tried again: 1, 2, 4… minutes, at most an hour. */
export const webmentionRetryDelaySeconds = (attempts: number) => Math.min(3600, 60 * 2 ** Math.max(0, attempts - 1));

/**
 * Verifies a received mention (Webmention §3.2.2): the source is fetched (timeout, size bound); a
 * source that is gone (404, 410) or no longer links to the target takes its mention down, one that
 * links to it is recorded through moderation with what its microformats say.
 */
async function verifyMention(env: Env, { source, target }: WebmentionMessage): Promise<string> {
  const db = primaryDb(env);
  const article = await articleAt(db, siteConfig(env), target);
  if (!article) return 'target-gone';
  const now = new Date();
  const page = await fetchBounded(source).catch((error) => {
    throw new TryLater(String(error));
  });
  if (page.status >= 500 || page.status === 429) throw new TryLater(`source answered ${page.status}`);
  if (page.status >= 300 || !(await linksTo(page, target))) {
    return (await withdrawMention(env, db, { articleId: article.id, source, now })) ? 'withdrawn' : 'no-link';
  }
  return recordMention(env, db, { articleId: article.id, source, content: await mentionContent(page), now });
}

/** Sends one of our mentions to the page it links to, at the endpoint that page names (if any), if the article is still out. */
async function sendMention(env: Env, { source, target }: WebmentionMessage): Promise<string> {
  if (!(await articleAt(primaryDb(env), siteConfig(env), source))) return 'source-gone';
  const endpoint = await discoverEndpoint(target).catch((error) => {
    throw new TryLater(String(error));
  });
  if (!endpoint) return 'no-endpoint';
  const response = await fetch(endpoint, {
    method: 'POST',
    body: new URLSearchParams({ source, target }),
    redirect: 'manual',
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  }).catch((error) => {
    throw new TryLater(String(error));
  });
  await response.body?.cancel();
  if (response.status >= 500 || response.status === 429) throw new TryLater(`endpoint answered ${response.status}`);
  // A 4xx is the receiver's refusal (it found no link, or takes no mentions of this page): not retried.
  return response.ok ? 'sent' : `refused-${response.status}`;
}

/**
 * The Webmention queue's consumer: each message verified or sent (at most MESSAGES_PER_INVOCATION;
 * later ones, and those not yet due, go back on the queue as new messages). A remote failure is retried with backoff up to
 * the queue's `max_retries`; any other outcome is final.
 */
export async function consumeWebmentionBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const later: Message<WebmentionMessage>[] = [];
  const handled: Message<WebmentionMessage>[] = [];
  for (const message of batch.messages) {
    if (!isWebmentionMessage(message.body)) {
      logEvent('warn', 'webmention.malformed', { messageId: message.id });
      message.ack();
    } else if (handled.length < MESSAGES_PER_INVOCATION && delayUntil(message.body.notBefore ?? 0) === 0) {
      handled.push(message as Message<WebmentionMessage>);
    } else later.push(message as Message<WebmentionMessage>);
  }
  if (later.length > 0) {
    await env.WEBMENTION_QUEUE.sendBatch(
      later.map(({ body }) => ({ body, delaySeconds: delayUntil(body.notBefore ?? 0) })),
    );
    for (const message of later) message.ack();
  }
  await Promise.all(
    handled.map(async (message) => {
      const { kind, source, target } = message.body;
      try {
        const outcome =
          kind === 'receive' ? await verifyMention(env, message.body) : await sendMention(env, message.body);
        logEvent('info', `webmention.${kind}`, { source, target, outcome });
        message.ack();
      } catch (error) {
        if (!(error instanceof TryLater)) throw error;
        logEvent('warn', `webmention.${kind}-later`, { source, target, error: error.message });
        message.retry({ delaySeconds: webmentionRetryDelaySeconds(message.attempts) });
      }
    }),
  );
}
