import { eq } from 'drizzle-orm';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { articles } from '../db/schema';
import { absoluteUrl, articlePath } from '../paths';
import type { WebmentionMessage } from './queue';

/** Pages one article sends Webmentions to, at most: one `sendBatch` (100 messages). */
export const MAX_TARGETS_PER_ARTICLE = 100;
/** Queues delay a message by 12 hours at most; a later send waits in steps. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

/** The other sites' pages an article's body links to: absolute http(s) addresses, once each, in order. */
export async function linkedPages(bodyHtml: string, articleUrl: string): Promise<string[]> {
  const ownOrigin = new URL(articleUrl).origin;
  const found = new Set<string>();
  await new HTMLRewriter()
    .on('a[href]', {
      element: (element) => {
        const url = URL.parse(element.getAttribute('href')!.trim(), articleUrl);
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin === ownOrigin) return;
        url.hash = '';
        found.add(url.href);
      },
    })
    .transform(new Response(bodyHtml))
    .arrayBuffer();
  return [...found].slice(0, MAX_TARGETS_PER_ARTICLE);
}

/** How long to wait before a message due at `notBefore` (epoch ms) may be handled, within the queue's longest delay. */
export const delayUntil = (notBefore: number, now = Date.now()) =>
  Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil((notBefore - now) / 1000)));

/**
 * Queues a Webmention from a published (or scheduled) article to every page its body links to, due
 * `afterSeconds` after it is out (so readers, and the receivers that check, see the new version).
 * Called after each publish and each save of a published article: a receiver updates a repeated
 * mention. A draft sends nothing. A members' or paid article mentions only what its teaser links to:
 * a receiver checks the link on the page it fetches, which for it (a reader without access) is the teaser.
 */
export async function queueWebmentions(env: Env, db: Db, articleId: number, afterSeconds: number): Promise<number> {
  const [article] = await db
    .select({
      slug: articles.slug,
      status: articles.status,
      publishedAt: articles.publishedAt,
      bodyHtml: articles.bodyHtml,
      access: articles.access,
      teaserHtml: articles.teaserHtml,
    })
    .from(articles)
    .where(eq(articles.id, articleId));
  if (article?.status !== 'published' || !article.publishedAt) return 0;
  const site = siteConfig(env);
  const source = absoluteUrl(site.url, articlePath(article, site.timeZone));
  const targets = await linkedPages(article.access === 'public' ? article.bodyHtml : article.teaserHtml, source);
  const notBefore = Math.max(Date.now(), article.publishedAt.getTime()) + afterSeconds * 1000;
  if (targets.length === 0) return 0;
  await env.WEBMENTION_QUEUE.sendBatch(
    targets.map((target) => ({
      body: { kind: 'send', source, target, notBefore } satisfies WebmentionMessage,
      delaySeconds: delayUntil(notBefore),
    })),
  );
  return targets.length;
}
