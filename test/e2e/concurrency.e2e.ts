/**
 * Concurrency against the running server: 500 comment posts and 200 newsletter signups at once, each
 * from an address of its own (wrangler dev passes CF-Connecting-IP through). Every post answered with
 * a success is stored exactly once and shown after approval; every address is one subscriber row.
 */
import { describe, expect, it } from 'vitest';
import { approveComment, BASE_URL, commentToken, inBatches, postComment, query, url } from './support/site';

const ARTICLE = { slug: 'asean-defence-ministers-hanoi', path: '/2010/10/asean-defence-ministers-hanoi' };
const COMMENTS = 500;
const SIGNUPS = 200;

/** An address in a /24 of its own for each index. */
const addressFor = (index: number) => `10.${100 + (index >> 8)}.${index & 255}.1`;

function signUp(email: string, address: string) {
  return fetch(url('/newsletter'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL, 'CF-Connecting-IP': address },
    body: new URLSearchParams({ email }),
  });
}

/** The ids of the comments shown on the article's pages, following its pagination, and what each page was. */
async function shownComments(): Promise<{ ids: Set<number>; pages: string[] }> {
  const ids = new Set<number>();
  const pages: string[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(url(`${ARTICLE.path}?page=${page}`));
    const found = [...(await response.text()).matchAll(/<li id="comment-(\d+)"/g)].map((match) => Number(match[1]));
    pages.push(`page ${page}: ${response.status} ${response.headers.get('X-Cache')} ${found.length} comments`);
    if (response.status !== 200 || found.length === 0) break;
    for (const id of found) ids.add(id);
  }
  return { ids, pages };
}

describe('the running server under concurrent writes', () => {
  it(`stores each of ${COMMENTS} parallel comment posts that succeeded exactly once, and shows them after approval`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: COMMENTS }, async (_, index) => {
        const token = await commentToken(ARTICLE.slug);
        const fields = {
          name: `Crowd ${index}`,
          email: `crowd-${index}@example.com`,
          comment: `Crowd comment number ${index}.`,
          token,
        };
        return (await postComment(ARTICLE.path, fields, addressFor(index))).status;
      }),
    );
    const succeeded = statuses.flatMap((status, index) => (status === 303 ? [`Crowd comment number ${index}.`] : []));
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(succeeded).toHaveLength(COMMENTS);

    const rows = query<{ id: number; body: string }>("SELECT id, body FROM comments WHERE author_email LIKE 'crowd-%'");
    expect(rows).toHaveLength(COMMENTS);
    expect(new Set(rows.map((row) => row.body))).toEqual(new Set(succeeded));

    await inBatches(rows, 20, ({ id }) => approveComment(id));
    const shown = await shownComments();
    expect(rows.filter((row) => !shown.ids.has(row.id)).length, shown.pages.join('; ')).toBe(0);
  });

  it(`answers ${SIGNUPS} parallel newsletter signups with 303 and keeps one row per address`, async () => {
    const emails = Array.from({ length: SIGNUPS }, (_, index) => `crowd-${index}@example.com`);
    const statuses = await Promise.all(
      emails.map(async (email, index) => (await signUp(email, addressFor(index))).status),
    );
    expect(statuses.filter((status) => status !== 303)).toEqual([]);
    const [{ rows, addresses }] = query<{ rows: number; addresses: number }>(
      "SELECT count(*) AS rows, count(DISTINCT email) AS addresses FROM subscribers WHERE email LIKE 'crowd-%'",
    ) as [{ rows: number; addresses: number }];
    expect({ rows, addresses }).toEqual({ rows: SIGNUPS, addresses: SIGNUPS });
  });

  it('keeps one row when the same address signs up 20 times at once', async () => {
    const email = `same-${Date.now()}@example.com`;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => signUp(email, addressFor(index)).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status !== 303 && status !== 429)).toEqual([]);
    expect(query<{ n: number }>(`SELECT count(*) AS n FROM subscribers WHERE email = '${email}'`)[0]!.n).toBe(1);
  });
});
