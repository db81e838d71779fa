import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { absoluteUrl, WEBMENTION_PATH } from '../paths';
import { rateLimit } from '../rate-limit';
import type { WebmentionMessage } from './queue';
import { articleAt } from './target';

/** Webmentions one network (IP group) may send a minute and an hour. */
const PER_MINUTE = 10;
const PER_HOUR = 60;

const httpUrl = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` }).max(2048, `${name} is too long`);

const mentionSchema = z
  .object({ source: httpUrl('source'), target: httpUrl('target') })
  .refine(({ source, target }) => source !== target, 'source and target must be different pages');

/** The endpoint's `Link` header on a page (Webmention §3.1.2), added outside the page cache as the feeds' hub links are. */
export const webmentionLink = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (c.res.status === 200 || c.res.status === 304) {
    c.res.headers.append('Link', `<${absoluteUrl(siteConfig(c.env).url, WEBMENTION_PATH)}>; rel="webmention"`);
  }
};

/**
 * The Webmention endpoint (W3C Recommendation, §3.2): a form-encoded POST of `source` and `target`.
 * Checked at once — both http(s) URLs, the source another site's page, the target one of our
 * published articles, else 400 with the reason — then queued for verification and answered 202.
 */
export const webmentionRoutes = new Hono<AppEnv>().post(
  WEBMENTION_PATH,
  rateLimit<AppEnv>({
    namespace: (c) => c.env.RATE_LIMITER,
    keys: (c) => [
      {
        key: `webmention-ip:${ipGroup(clientAddress(c) ?? '')}`,
        rules: [
          { limit: PER_MINUTE, windowSeconds: 60, message: 'Too many Webmentions from your network this minute.' },
          { limit: PER_HOUR, windowSeconds: 3600, message: 'Too many Webmentions from your network this hour.' },
        ],
      },
    ],
    onLimited: (c, { rule }) => c.text(rule.message, 429),
  }),
  validInput('form', mentionSchema, (c, error) => c.text(error.issues.map((issue) => issue.message).join('; '), 400)),
  async (c) => {
    const { source, target } = c.req.valid('form');
    const site = siteConfig(c.env);
    if (new URL(source).origin === new URL(site.url).origin) {
      return c.text('source must be a page on another site', 400);
    }
    if (!(await articleAt(primaryDb(c.env), site, target))) {
      return c.text('target is not a published article of this site', 400);
    }
    await c.env.WEBMENTION_QUEUE.send({ kind: 'receive', source, target } satisfies WebmentionMessage);
    return c.text('Accepted: the source will be checked for a link to the target, then moderated.', 202);
  },
);
