import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMENT_STATUSES } from '../../src/db/schema';

/**
 * Comment pages are ranges of thread numbers (migration 0033): whatever arrives, is moderated or is
 * deleted, an article's approved threads must stay numbered 1 to its thread count, oldest first, and the
 * tallies of comments by status must stay their counts.
 */
const STATUSES = COMMENT_STATUSES;

type Step =
  | { kind: 'post'; at: number; status: (typeof STATUSES)[number] }
  | { kind: 'reply'; to: number }
  | { kind: 'moderate'; which: number; status: (typeof STATUSES)[number] }
  | { kind: 'delete'; which: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    // Few distinct times, so threads posted at the same millisecond are common; most are approved.
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      at: fc.integer({ min: 0, max: 6 }),
      status: fc.constantFrom('approved', 'approved', ...STATUSES),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reply' as const), to: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('moderate' as const),
      which: fc.nat(),
      status: fc.constantFrom(...STATUSES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), which: fc.nat() }) },
);

interface Row {
  id: number;
  parent_id: number | null;
  status: string;
  created_at: number;
  thread_number: number | null;
}

async function newArticle(n: number) {
  const row = await env.DB.prepare(
    "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) SELECT ?, 'Numbered', '', '', '', 'published', 1000, author_id, section_id FROM articles LIMIT 1 RETURNING id",
  )
    .bind(`thread-numbers-${n}`)
    .first<{ id: number }>();
  return row!.id;
}

async function play(articleId: number, step: Step, rows: Row[], serial: number) {
  const pick = (n: number, from: Row[]) => from[n % from.length];
  if (step.kind === 'post' || step.kind === 'reply') {
    const parent = step.kind === 'reply' ? pick(step.to, rows) : undefined;
    if (step.kind === 'reply' && !parent) return;
    await env.DB.prepare(
      'INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(
        articleId,
        parent?.id ?? null,
        parent ? (rows.find((row) => row.id === parent.id && row.parent_id === null)?.id ?? parent.id) : null,
        parent ? 1 : 0,
        'Reader',
        `reader${serial}@example.org`,
        `Comment ${serial}`,
        `hash-${articleId}-${serial}`,
        step.kind === 'post' ? step.status : 'approved',
        step.kind === 'post' ? 1_000_000 + step.at : 2_000_000 + serial,
      )
      .run();
  } else if (step.kind === 'moderate') {
    const row = pick(step.which, rows);
    if (row) await env.DB.prepare('UPDATE comments SET status = ? WHERE id = ?').bind(step.status, row.id).run();
  } else {
    const leaves = rows.filter((row) => !rows.some((other) => other.parent_id === row.id));
    const row = pick(step.which, leaves);
    if (row) await env.DB.prepare('DELETE FROM comments WHERE id = ?').bind(row.id).run();
  }
}

describe('thread numbers', () => {
  it('stay 1 to the thread count, oldest first, through posts, replies, moderation and deletions', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const articleId = await newArticle(runs++);
        const rowsOf = async () =>
          (
            await env.DB.prepare(
              'SELECT id, parent_id, status, created_at, thread_number FROM comments WHERE article_id = ? ORDER BY created_at, id',
            )
              .bind(articleId)
              .all<Row>()
          ).results;
        let rows: Row[] = [];
        for (const [serial, each] of steps.entries()) {
          await play(articleId, each, rows, serial);
          rows = await rowsOf();
          const threads = rows.filter((row) => row.status === 'approved' && row.parent_id === null);
          expect(threads.map((row) => row.thread_number)).toEqual(threads.map((_, index) => index + 1));
          expect(rows.filter((row) => !threads.includes(row)).every((row) => row.thread_number === null)).toBe(true);
          const article = await env.DB.prepare('SELECT thread_count FROM articles WHERE id = ?')
            .bind(articleId)
            .first<{ thread_count: number }>();
          expect(article!.thread_count).toBe(threads.length);
          // The dashboard's kept counts of comments by status follow too (migration 0036).
          const tallied = await env.DB.prepare(
            "SELECT name, count, (SELECT count(*) FROM comments WHERE status = substr(name, 10)) AS counted FROM tallies WHERE name LIKE 'comments:%'",
          ).all<{ name: string; count: number; counted: number }>();
          for (const row of tallied.results) expect(row.count, row.name).toBe(row.counted);
          // And the dashboard's activity a slot (migration 0040).
          const slots = await env.DB.prepare(
            "SELECT count(*) AS wrong FROM activity_slots WHERE series = 'comments' AND count IS NOT (SELECT count(*) FROM comments WHERE created_at / 900000 = slot)",
          ).first<{ wrong: number }>();
          expect(slots!.wrong).toBe(0);
        }
      }),
      { numRuns: 40 },
    );
    // About 4,000 D1 statements: seconds when other test files run beside it.
  }, 60_000);
});
