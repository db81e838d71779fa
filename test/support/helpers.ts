import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { vi } from 'vitest';
import { createApp } from '../../src/app';
import { COMMENTER_COOKIE, commenterCookieValue } from '../../src/comments/commenter-cookie';
import { createFormToken } from '../../src/lib/form-token';
import { ipGroup } from '../../src/lib/ip-group';
import { purgeCachedPath } from '../../src/page-cache/store';
import { uniqueEmail } from './unique';

/** Applies the same seed `npm start` runs (generated from src/seed by vitest.config.ts): the images in R2, the rows in D1. */
export async function seedDatabase(): Promise<void> {
  for (const image of env.TEST_SEED_IMAGES) {
    const bytes = Uint8Array.from(atob(image.base64), (char) => char.charCodeAt(0));
    await env.MEDIA.put(image.key, bytes, { httpMetadata: { contentType: image.type } });
  }
  await env.DB.batch(env.TEST_SEED.map((statement) => env.DB.prepare(statement)));
}

export const SAMPLE_ARTICLE_PATH = '/2010/11/russia-eyes-korean-peninsula';

/** A request to the Worker, exactly as a browser would send it. */
export function fetchPage(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, 'http://localhost:8787'), init));
}

/** `fetchPage` for a Worker whose bindings and settings are these over the suite's own (a setting only some tests use). */
export function fetchPageWith(overrides: Partial<Env>): typeof fetchPage {
  const app = createApp();
  return async (path, init) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(new URL(path, 'http://localhost:8787'), init),
      { ...env, ...overrides },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  };
}

/** Text content without tags, entities decoded, whitespace collapsed: what a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The attributes of every element the CSS selector matches, as workerd's HTML parser (HTMLRewriter) reads the page. */
export async function elementsIn(html: string, selector: string): Promise<Record<string, string>[]> {
  const found: Record<string, string>[] = [];
  const rewriter = new HTMLRewriter().on(selector, {
    element: (element) => {
      found.push(Object.fromEntries(element.attributes));
    },
  });
  await rewriter.transform(new Response(html)).arrayBuffer();
  return found;
}

/** Purges every path KV holds a page for, at once (not through the purge queue). */
export async function clearPageCache(): Promise<void> {
  const { keys } = await env.PAGE_CACHE.list({ prefix: 'page:' });
  await Promise.all(
    keys.map((key) => purgeCachedPath(env.PAGE_CACHE, key.name.slice('page:'.length, key.name.indexOf('|')))),
  );
}

export const ORIGIN = 'http://localhost:8787';

/** A valid comment-form token, issued `ageMs` ago (as a cached page's would be). */
export function formToken(slug: string, ageMs = 10_000): Promise<string> {
  return createFormToken(env.FORM_TOKEN_SECRET, `comment:${slug}`, Date.now() - ageMs);
}

let addressCounter = 0;
/** A client address in a /24 of its own, so one test's posts never count against another's limits. */
export function freshAddress(): string {
  addressCounter += 1;
  return `198.${Math.floor(addressCounter / 250) + 18}.${addressCounter % 250}.7`;
}

/** Posts the comment form as a browser with JavaScript off would. */
export async function submitCommentForm(
  articlePath: string,
  fields: Record<string, string>,
  {
    address = freshAddress(),
    origin = ORIGIN,
    token,
    cookie = browserOf(fields.email ?? ''),
  }: { address?: string; origin?: string; token?: string; cookie?: string } = {},
): Promise<Response> {
  const slug = articlePath.split('/').pop()!;
  const body = new URLSearchParams({ token: token ?? (await formToken(slug)), ...fields });
  return fetchPage(`${articlePath}/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: origin,
      'CF-Connecting-IP': address,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body,
  });
}

const browsers = new Map<string, string>();

/** The `Cookie` header of the browser `returningReader` made for this address, if any. */
export const browserOf = (email: string) => browsers.get(email.trim().toLowerCase());

/**
 * A reader with an approved comment already (on another article), posted from their browser: under
 * "first-time", their comments publish at once when `submitCommentForm` sends that browser's
 * known-commenter cookie, which it does for this address.
 */
export async function returningReader(): Promise<string> {
  const email = uniqueEmail('reader');
  const earlier = await env.DB.prepare(
    "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) SELECT id, 'Returning', ?, 'Earlier', 'earlier', 'approved' FROM articles WHERE slug = 'korus-fta-seoul-stalemate' RETURNING id",
  )
    .bind(email)
    .first<{ id: number }>();
  browsers.set(email, `${COMMENTER_COOKIE}=${await commenterCookieValue(env.FORM_TOKEN_SECRET, [earlier!.id])}`);
  return email;
}

/**
 * Retries `check` until it passes: a change reaches readers without a cookie once the purge queue
 * has delivered its batch (within a second or two locally; see PURGE_BATCH_TIMEOUT_SECONDS).
 */
export const afterPurge = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 250 });

/** Moves every hit the rate limiter counted for `key` back by `seconds`, as if that much time had passed. */
export async function rewindRateLimit(key: string, seconds: number): Promise<void> {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  await runInDurableObject(stub, (_, state) => {
    state.storage.sql.exec('UPDATE hits SET at = at - ?', seconds * 1000);
  });
}

/** Waits out the comment flood rule (one post per 15 s) for this email and this address's network, without sleeping. */
export async function waitOutCommentFlood({ email, address }: { email?: string; address?: string }): Promise<void> {
  if (email) await rewindRateLimit(`comment-email:${email.toLowerCase()}`, 16);
  if (address) await rewindRateLimit(`comment-ip:${ipGroup(address)}`, 16);
}
