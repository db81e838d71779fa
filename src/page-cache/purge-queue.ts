import { logEvent } from '../lib/log';
import { MEMORY_CACHE_TTL_SECONDS } from './memory';
import { EDGE_CACHE_TTL_SECONDS, KV_OPERATIONS_PER_PURGED_PATH, purgeCachedPath } from './store';

/** A purge request on PURGE_QUEUE: the paths whose pages changed. */
export interface PurgeMessage {
  paths: string[];
}

/** wrangler.toml's `max_batch_timeout` for the purge queue: the longest a purge waits to be coalesced. */
export const PURGE_BATCH_TIMEOUT_SECONDS = 5;

/**
 * How long after a change every reader (but its writer, who skips the cache) may still see the old
 * page: the purge waits for its batch, then other data centres' Cache API copies and isolates'
 * memory copies run out. KV's own propagation between locations comes on top (Cloudflare: up to 60 s).
 */
export const STALENESS_BOUND_SECONDS = PURGE_BATCH_TIMEOUT_SECONDS + EDGE_CACHE_TTL_SECONDS + MEMORY_CACHE_TTL_SECONDS;

/**
 * Distinct paths one consumer invocation purges: 4 KV operations each (160, well inside the 1,000 a
 * Worker invocation may make) and 3 Cache API calls, one per access level (120: inside the Workers
 * Paid plan's 10,000 subrequests, not the Free plan's 50).
 */
export const PATHS_PER_INVOCATION = 40;

/** Each invocation lasts at least this long, and only one runs at a time (`max_concurrency = 1`). */
const MIN_INVOCATION_MS = 1000;

/** Asks for these paths to be purged, coalesced with every other purge of the next few seconds. */
export async function requestPurge(env: Env, paths: Iterable<string>, delaySeconds = 0): Promise<void> {
  const unique = [...new Set(paths)];
  const messages: MessageSendRequest<PurgeMessage>[] = [];
  for (let start = 0; start < unique.length; start += PATHS_PER_INVOCATION) {
    messages.push({ body: { paths: unique.slice(start, start + PATHS_PER_INVOCATION) }, delaySeconds });
  }
  if (messages.length === 0) return;
  try {
    await env.PURGE_QUEUE.sendBatch(messages);
  } catch (error) {
    // The change is stored; without the queue its pages would stay stale for a whole cache lifetime.
    logEvent('error', 'page-cache.purge-not-queued', { paths: unique.length, error: String(error) });
    await Promise.allSettled(unique.map((path) => purgeCachedPath(env.PAGE_CACHE, path)));
  }
}

const isPurgeMessage = (body: unknown): body is PurgeMessage =>
  typeof body === 'object' &&
  body !== null &&
  Array.isArray((body as PurgeMessage).paths) &&
  (body as PurgeMessage).paths.every((path) => typeof path === 'string' && path.startsWith('/'));

/** Seconds before a refused purge is tried again: 2, 4, 8… up to a minute. */
export const purgeRetryDelaySeconds = (attempts: number) => Math.min(60, 2 ** Math.max(1, attempts));

/**
 * The purge queue's consumer: purges each distinct path of the batch once, at most
 * PATHS_PER_INVOCATION of them (later messages go back on the queue). A path KV refused (its key was
 * written less than a second ago, a quota) is retried with its messages, never dropped. An
 * invocation lasts at least a second, so with `max_concurrency = 1` no key is written twice a second.
 */
export async function consumePurgeBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const started = Date.now();
  const byPath = new Map<string, Message<unknown>[]>();
  const accepted: Message<unknown>[] = [];
  const later: Message<unknown>[] = [];
  for (const message of batch.messages) {
    if (!isPurgeMessage(message.body)) {
      logEvent('warn', 'page-cache.purge-malformed', { messageId: message.id });
      message.ack();
      continue;
    }
    const added = message.body.paths.filter((path) => !byPath.has(path));
    if (byPath.size + added.length > PATHS_PER_INVOCATION) {
      later.push(message);
      continue;
    }
    accepted.push(message);
    for (const path of message.body.paths) byPath.set(path, [...(byPath.get(path) ?? []), message]);
  }

  const refused = new Set<Message<unknown>>();
  await Promise.all(
    [...byPath].map(async ([path, messages]) => {
      try {
        await purgeCachedPath(env.PAGE_CACHE, path);
      } catch (error) {
        logEvent('warn', 'page-cache.purge-refused', { path, error: String(error) });
        for (const message of messages) refused.add(message);
      }
    }),
  );
  for (const message of accepted) {
    if (refused.has(message)) message.retry({ delaySeconds: purgeRetryDelaySeconds(message.attempts) });
    else message.ack();
  }
  if (later.length > 0) {
    await env.PURGE_QUEUE.sendBatch(later.map((message) => ({ body: message.body as PurgeMessage })));
    for (const message of later) message.ack();
  }
  logEvent('info', 'page-cache.purged', {
    paths: byPath.size,
    kvOperations: byPath.size * KV_OPERATIONS_PER_PURGED_PATH,
    refused: refused.size,
    requeued: later.length,
  });

  const elapsed = Date.now() - started;
  if (elapsed < MIN_INVOCATION_MS) await scheduler.wait(MIN_INVOCATION_MS - elapsed);
}
