/** The e2e server's address, its database and its secrets, for what a test sets up outside the browser. */
import { inject } from 'vitest';
import { readDevVars } from '../../../src/cli/dev-vars.ts';
import { queryDatabase } from '../../../src/cli/wrangler.ts';
import { createFormToken } from '../../../src/lib/form-token.ts';

export const BASE_URL = inject('baseUrl');
export const STATE_DIR = inject('stateDir');
export const SECRETS = readDevVars();

/** An approved commenter of the seed: their address alone, from a browser they never posted from, is held. */
export const KNOWN_COMMENTER = 'mladen.matosevic@example.com';

export const url = (path: string) => new URL(path, BASE_URL).href;

/** Rows from the e2e server's local D1 (`wrangler d1 execute --persist-to … --json`). */
export function query<Row>(sql: string): Row[] {
  return queryDatabase<Row>(sql, ['--local', '--persist-to', STATE_DIR]);
}

/** A valid comment-form token for an article, issued 10 s ago, as a cached page would carry one. */
export function commentToken(slug: string): Promise<string> {
  return createFormToken(SECRETS.FORM_TOKEN_SECRET!, `comment:${slug}`, Date.now() - 10_000);
}

/** Posts the comment form outside the browser, as a reader at `address` would. */
export function postComment(articlePath: string, fields: Record<string, string>, address: string): Promise<Response> {
  return fetch(url(`${articlePath}/comments`), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL, 'CF-Connecting-IP': address },
    body: new URLSearchParams(fields),
  });
}

/** Approves a comment through the moderation API, as `npm run moderate -- approve ID` does. */
export async function approveComment(id: number): Promise<void> {
  const response = await fetch(url(`/api/moderation/comments/${id}`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRETS.MODERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'approve' }),
  });
  if (!response.ok) throw new Error(`approve ${id}: ${response.status} ${await response.text()}`);
}

/** The id in a published comment's 303 Location (`…#comment-123`). */
export function commentIdFrom(response: Response): number | undefined {
  const match = /#comment-(\d+)$/.exec(response.headers.get('Location') ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(
      ...(await Promise.all(items.slice(start, start + limit).map((item, offset) => fn(item, start + offset)))),
    );
  }
  return results;
}
