import { z } from 'zod';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { delayUntil } from '../webmention/send';
import { articlePublicationQuery, hasFollowers } from './queries';

/** What an article's followers are told: it is out (Create), changed (Update) or gone (Delete). */
export const articleActivitySchema = z.object({
  kind: z.literal('article'),
  change: z.enum(['create', 'update', 'delete']),
  articleId: z.number().int(),
  /** The author's handle (their slug), kept for a Delete: the article may be gone by then. */
  author: z.string(),
  /** Epoch ms: not sent before (a scheduled article's time, once its cached pages are gone). */
  notBefore: z.number(),
});
export type ArticleActivityMessage = z.infer<typeof articleActivitySchema>;

/** The author's handle of an article readers can see now (published, its time come); undefined otherwise. */
export async function federatedAuthor(db: Db, articleId: number, now = Date.now()): Promise<string | undefined> {
  const [article] = await articlePublicationQuery(db, articleId);
  return article?.status === 'published' && article.publishedAt && article.publishedAt.getTime() <= now
    ? article.author
    : undefined;
}

/**
 * Queues the Create (first publication) or Update (a later save) of a published or scheduled article
 * for its followers, `afterSeconds` after it is out. A draft sends nothing, nor does an article whose
 * publication and author no one follows: no Queue operation for a site not on the fediverse.
 */
export async function queueArticleActivity(
  env: Env,
  db: Db,
  articleId: number,
  change: 'create' | 'update',
  afterSeconds: number,
): Promise<void> {
  const [article] = await articlePublicationQuery(db, articleId);
  if (article?.status !== 'published' || !article.publishedAt) return;
  if (!(await hasFollowers(db, [siteConfig(env).fediverseHandle, article.author]))) return;
  const notBefore = Math.max(Date.now(), article.publishedAt.getTime()) + afterSeconds * 1000;
  await sendMessage(env, { kind: 'article', change, articleId, author: article.author, notBefore });
}

/** Queues the Delete of an article its followers saw (`author` from federatedAuthor before it went). */
export async function queueArticleDelete(
  env: Env,
  db: Db,
  articleId: number,
  author: string | undefined,
): Promise<void> {
  if (author && (await hasFollowers(db, [siteConfig(env).fediverseHandle, author])))
    await sendMessage(env, { kind: 'article', change: 'delete', articleId, author, notBefore: Date.now() });
}

export async function sendMessage(env: Env, message: ArticleActivityMessage): Promise<void> {
  await env.FEDIVERSE_QUEUE.send(message, { delaySeconds: delayUntil(message.notBefore) });
}
