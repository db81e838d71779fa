import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { clientAddress } from '../lib/ip-group';
import { logEvent } from '../lib/log';
import { readerMark, type View, viewOf } from './view';
import type { ReadView, ViewCounter } from './view-counter-object';

/** Views wait this long in the isolate, so a busy article costs one Durable Object call per isolate and second, not one per view. */
export const BATCH_DELAY_MS = 1000;

/** This isolate's views of the last second, by what they are counted under, with their readers' marks. */
const buffered = new Map<string, { view: View; readers: Set<string> }>();
let flushing: Promise<void> | undefined;

async function flush(namespace: DurableObjectNamespace<ViewCounter>, requestId: string) {
  await new Promise((resolve) => setTimeout(resolve, BATCH_DELAY_MS));
  const days = new Map<string, ReadView[]>();
  for (const { view, readers } of buffered.values()) {
    days.set(view.day, [...(days.get(view.day) ?? []), { ...view, readers: [...readers] }]);
  }
  buffered.clear();
  flushing = undefined;
  await Promise.all(
    [...days].map(([day, views]) =>
      namespace
        .get(namespace.idFromName(day))
        .record(views)
        .catch((error: unknown) =>
          logEvent('error', 'readership.record-failed', { requestId, day, views: views.length, error: String(error) }),
        ),
    ),
  );
}

function add(view: View, mark: string) {
  const key = [view.day, view.slug, view.country, view.referrer, view.client].join('\u0000');
  const counted = buffered.get(key);
  if (counted) counted.readers.add(mark);
  else buffered.set(key, { view, readers: new Set([mark]) });
}

/**
 * Counts a view of every article page answered 200 in HTML (its Markdown, asked for with `Accept`, is
 * not a reader's view), cache hits included (it runs around the page cache), once per reader, article
 * and day: no cookie, no script, nothing stored about the visitor beyond that day's `readerMark` (see View). Prefetches are not views. The count is sent after the response, through `waitUntil`, so no reader waits for it.
 */
export const countArticleViews: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method !== 'GET' || c.res.status !== 200 || !c.res.headers.get('Content-Type')?.startsWith('text/html')) {
    return;
  }
  const purpose = c.req.header('Sec-Purpose') ?? c.req.header('Purpose') ?? '';
  if (/prefetch|prerender/i.test(purpose)) return;
  const slug = c.req.path.slice(c.req.path.lastIndexOf('/') + 1);
  const view = viewOf(c.req.raw, slug, siteConfig(c.env).timeZone, new Date());
  add(view, await readerMark(c.env.IP_HASH_SALT, view, clientAddress(c) ?? '', c.req.header('User-Agent') ?? ''));
  if (!flushing) {
    flushing = flush(c.env.VIEW_COUNTER, c.var.requestId);
    c.executionCtx.waitUntil(flushing);
  }
};
