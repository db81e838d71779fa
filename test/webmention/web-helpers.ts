import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import { consumeWebmentionBatch } from '../../src/webmention/queue';
import type { ReceivedWebmention } from '../support/fake-web';
import { fetchPageWith } from '../support/helpers';
import { consumeBatch, RecordedQueue } from '../support/production';

/** The local stand-in for other sites (its address ends with a slash). */
export const WEB = inject('fakeWebUrl');
export const SITE = 'http://localhost:8787';

/** Serves `body` at `path` on the stand-in web from now on. */
export async function publishPage(
  path: string,
  body: string,
  options: { status?: number; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${WEB}_fake/pages`, {
    method: 'POST',
    body: JSON.stringify({ path, body, ...options }),
  });
  if (!response.ok) throw new Error(`the stand-in web refused ${path}`);
  return new URL(path.slice(1), WEB).href;
}

/** What a receiver on the stand-in web was sent at `path`. */
export const receivedAt = async (path: string): Promise<ReceivedWebmention[]> =>
  (await fetch(`${WEB}_fake/received?path=${encodeURIComponent(path)}`)).json();

/** The site with its Webmention messages recorded (a queue without a consumer), and the consumer to hand them to. */
export function siteWithMentionQueue() {
  const queue = new RecordedQueue(env.TEST_WEBMENTION_QUEUE);
  const workerEnv = { ...env, WEBMENTION_QUEUE: queue.binding() } as Env;
  return {
    queue,
    workerEnv,
    fetch: fetchPageWith(workerEnv),
    /** Hands the messages sent so far (or these) to the Worker's Webmention consumer in one batch. */
    consume: (bodies: unknown[] = queue.take()) =>
      consumeBatch('edgepress-webmention-local', consumeWebmentionBatch, workerEnv, bodies),
  };
}
