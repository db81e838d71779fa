import type { MiddlewareHandler } from 'hono';
import { siteConfig } from '../config';
import { logEvent } from '../lib/log';
import { absoluteUrl } from '../paths';

/** A ping on WEBSUB_QUEUE: one feed (a WebSub topic) whose content changed. */
export interface HubPingMessage {
  topic: string;
}

/**
 * Pings one consumer invocation sends at most: each is one subrequest, inside the 50 a Worker
 * invocation may make on the Free plan (wrangler.toml's `max_batch_size` for the queue says the same).
 */
export const PINGS_PER_INVOCATION = 40;

/** How long a hub has to answer a ping before it is tried again. */
const PING_TIMEOUT_MS = 10_000;

/** The `Link` header value naming the hub and the feed's own address (WebSub §4: discovery). */
export const hubLinkHeader = (hub: string, selfUrl: string) => `<${hub}>; rel="hub", <${selfUrl}>; rel="self"`;

/**
 * Adds the hub and the feed's own address as `Link` headers to a feed's answer when a hub is
 * configured. Outside the page cache, which keeps only a page's body and type.
 */
export const hubLinks = (): MiddlewareHandler<{ Bindings: Env }> => async (c, next) => {
  await next();
  const { websubHub, url } = siteConfig(c.env);
  if (websubHub && (c.res.status === 200 || c.res.status === 304)) {
    c.res.headers.append('Link', hubLinkHeader(websubHub, absoluteUrl(url, c.req.path)));
  }
};

/**
 * Asks for the hub to be told these feeds changed, `delaySeconds` from now (once their cached copies
 * are gone, since the hub fetches them at once). Nothing without a hub.
 */
export async function requestHubPings(env: Env, feedPaths: Iterable<string>, delaySeconds: number): Promise<void> {
  const { websubHub, url } = siteConfig(env);
  if (!websubHub) return;
  const topics = [...new Set([...feedPaths].map((path) => absoluteUrl(url, path)))];
  // sendBatch takes at most 100 messages.
  for (let start = 0; start < topics.length; start += 100) {
    await env.WEBSUB_QUEUE.sendBatch(
      topics.slice(start, start + 100).map((topic) => ({ body: { topic } satisfies HubPingMessage, delaySeconds })),
    );
  }
}

const isHubPing = (body: unknown): body is HubPingMessage =>
  typeof body === 'object' && body !== null && typeof (body as HubPingMessage).topic === 'string';

/** Seconds before a ping the hub refused is sent again: 30, 60, 120… up to an hour. */
export const pingRetryDelaySeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

/**
 * The WebSub queue's consumer: one `hub.mode=publish` POST per distinct topic of the batch (at most
 * PINGS_PER_INVOCATION; later ones go back on the queue as new messages). A topic the hub did not accept with a 2xx
 * is retried with backoff, up to the queue's `max_retries`.
 */
export async function pingHubBatch(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  const hub = siteConfig(env).websubHub;
  const byTopic = new Map<string, Message<unknown>[]>();
  const later: Message<HubPingMessage>[] = [];
  for (const message of batch.messages) {
    if (!hub || !isHubPing(message.body)) {
      message.ack();
      continue;
    }
    const { topic } = message.body;
    if (!byTopic.has(topic) && byTopic.size >= PINGS_PER_INVOCATION) {
      later.push(message as Message<HubPingMessage>);
      continue;
    }
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  }
  if (!hub) return;
  if (later.length > 0) {
    await env.WEBSUB_QUEUE.sendBatch(later.map((message) => ({ body: message.body })));
    for (const message of later) message.ack();
  }
  await Promise.all(
    [...byTopic].map(async ([topic, messages]) => {
      const accepted = await ping(hub, topic);
      for (const message of messages) {
        if (accepted) message.ack();
        else message.retry({ delaySeconds: pingRetryDelaySeconds(message.attempts) });
      }
    }),
  );
}

async function ping(hub: string, topic: string): Promise<boolean> {
  try {
    const response = await fetch(hub, {
      method: 'POST',
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': topic }),
      signal: AbortSignal.timeout(PING_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return true;
    logEvent('warn', 'websub.ping-refused', { topic, status: response.status });
  } catch (error) {
    logEvent('warn', 'websub.ping-failed', { topic, error: String(error) });
  }
  return false;
}
