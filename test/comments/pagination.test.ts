import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchPage, visibleText } from '../support/helpers';

const PATH = '/2010/10/asean-defence-ministers-hanoi';
const SLUG = 'asean-defence-ministers-hanoi';
const BASE_TIME = Date.UTC(2010, 9, 20);

/** Top-level comments on a page: list items directly inside the comment list, not inside a reply list. */
function topLevelNumbers(html: string): number[] {
  const list = html.slice(html.indexOf('<ol class="comment-list">'));
  const numbers: number[] = [];
  let depth = 0;
  for (const match of list.matchAll(/<ol[^>]*>|<\/ol>|<b class="comment-author">Reader number (\d+)<\/b>/g)) {
    if (match[0].startsWith('<ol')) depth++;
    else if (match[0] === '</ol>') {
      depth--;
      if (depth === 0) break;
    } else if (depth === 1) numbers.push(Number(match[1]));
  }
  return numbers;
}

beforeAll(async () => {
  const { id } = (await env.DB.prepare('SELECT id FROM articles WHERE slug = ?').bind(SLUG).first<{ id: number }>())!;
  const insert = env.DB.prepare(
    "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status, created_at) VALUES (?, ?, ?, ?, ?, 'approved', ?)",
  );
  const statements = Array.from({ length: 1000 }, (_, index) =>
    insert.bind(
      id,
      `Reader number ${index + 1}`,
      `reader${index + 1}@example.com`,
      `Comment number ${index + 1}.`,
      `hash-${index}`,
      BASE_TIME + index * 60_000,
    ),
  );
  for (let start = 0; start < statements.length; start += 100) await env.DB.batch(statements.slice(start, start + 100));
  // A reply to comment 940, which is on the second page (comments 951–1000 are on the first).
  const root = (await env.DB.prepare("SELECT id FROM comments WHERE author_name = 'Reader number 940'").first<{
    id: number;
  }>())!;
  await env.DB.prepare(
    "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, created_at) VALUES (?, ?, ?, 1, 'Replier', 'replier@example.com', 'A reply on page two.', 'reply', 'approved', ?)",
  )
    .bind(id, root.id, root.id, BASE_TIME + 2000 * 60_000)
    .run();
});

describe('an article with 1,000 comments', () => {
  it('shows 50 top-level comments a page, newest first, with the total in the heading', async () => {
    const response = await fetchPage(PATH);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(topLevelNumbers(html)).toEqual(Array.from({ length: 50 }, (_, index) => 1000 - index));
    const text = visibleText(html);
    expect(text).toContain('1001 Comments');
    expect(text).toContain('Page 1 of 20');
    expect(html).toContain(`<a rel="next" href="${PATH}?page=2#comments">`);
    expect(html).not.toContain('A reply on page two.');
    expect(html).not.toMatch(/reader\d+@example\.com/);
  });

  it('pages through to the oldest, each reply under its own top-level comment', async () => {
    const second = await (await fetchPage(`${PATH}?page=2`)).text();
    expect(topLevelNumbers(second)).toEqual(Array.from({ length: 50 }, (_, index) => 950 - index));
    const thread = second.slice(second.indexOf('Reader number 940'), second.indexOf('Reader number 939'));
    expect(thread).toContain('A reply on page two.');

    const last = await (await fetchPage(`${PATH}?page=20`)).text();
    expect(topLevelNumbers(last)).toEqual(Array.from({ length: 50 }, (_, index) => 50 - index));
    expect(last).toContain(`<a rel="prev" href="${PATH}?page=19#comments">`);
    expect((await fetchPage(`${PATH}?page=21`)).status).toBe(404);
  });

  it('pages the JSON API the same way', async () => {
    const body = (await (await fetchPage(`/api/articles/${SLUG}/comments?page=2`)).json()) as {
      pageCount: number;
      comments: { authorName: string; replies: { body: string }[] }[];
    };
    expect(body.pageCount).toBe(20);
    expect(body.comments).toHaveLength(50);
    expect(body.comments[0]!.authorName).toBe('Reader number 950');
    expect(body.comments.find((comment) => comment.authorName === 'Reader number 940')!.replies[0]!.body).toBe(
      'A reply on page two.',
    );
  });
});
