import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

import { apply, reset, seedWhatFits, tables } from '../support/migration-db';

describe('migrations', () => {
  it('apply in order to an empty database', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS);
    expect(await tables()).toEqual(
      expect.arrayContaining(['articles', 'authors', 'comments', 'sections', 'subscribers', 'tags']),
    );
  });
});

describe('0029: draft media and one row per mailbox', () => {
  const db = env.MIGRATION_DB;
  const upTo = (name: string) => env.TEST_MIGRATIONS.filter((migration) => migration.name < name);
  const named = (name: string) => env.TEST_MIGRATIONS.filter((migration) => migration.name.startsWith(name));

  it('makes public only the images a published article or an author shows, and merges spellings of one address', async () => {
    await reset();
    await apply(upTo('0029'));
    const hash = (n: number) => String(n).repeat(64);
    await db.batch([
      db.prepare("INSERT INTO authors (id, name, slug, photo_hash) VALUES (1, 'A', 'a', ?)").bind(hash(3)),
      db.prepare("INSERT INTO sections (id, name, slug) VALUES (1, 'S', 's')"),
      ...[1, 2, 3, 4].map((n) =>
        db
          .prepare(
            "INSERT INTO media (hash, type, width, height, bytes, created_at) VALUES (?, 'image/png', 1, 1, 1, 5)",
          )
          .bind(hash(n)),
      ),
      db
        .prepare(
          "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id) VALUES ('p', 'P', '', ?, '', 'published', 1000, 1, 1)",
        )
        .bind(`![a](/media/${hash(1)}/640)`),
      db
        .prepare(
          "INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, hero_image_url, status, author_id, section_id) VALUES ('d', 'D', '', '', '', ?, 'draft', 1, 1)",
        )
        .bind(`/media/${hash(2)}/640`),
      db.prepare(
        "INSERT INTO subscribers (id, email, email_hash, status, confirmed_at) VALUES (1, 'Reader@x.org', 'h1', 'unconfirmed', NULL), (2, 'reader@x.org', 'h2', 'confirmed', 50), (3, 'READER@x.org', 'h3', 'unsubscribed', 10), (4, 'other@x.org', 'h4', 'confirmed', 1), (5, NULL, 'h5', 'unsubscribed', NULL)",
      ),
      db.prepare(
        "INSERT INTO newsletter_issues (id, number, week, subject, html, text, status) VALUES (1, 1, '2026-W01', 'One', '', '', 'sent'), (2, 2, '2026-W02', 'Two', '', '', 'sent')",
      ),
      db.prepare(
        "INSERT INTO newsletter_deliveries (issue_id, subscriber_id, status) VALUES (1, 2, 'sent'), (1, 3, 'sent'), (2, 3, 'sent')",
      ),
    ]);
    await apply(named('0029'));
    const media = await db.prepare('SELECT hash, public_at FROM media ORDER BY hash').all();
    expect(media.results.map((row) => row.public_at)).toEqual([1000, null, 5, null]);
    const subscribers = await db.prepare('SELECT id, email, status FROM subscribers ORDER BY id').all();
    expect(subscribers.results).toEqual([
      { id: 2, email: 'reader@x.org', status: 'confirmed' },
      { id: 4, email: 'other@x.org', status: 'confirmed' },
      { id: 5, email: null, status: 'unsubscribed' },
    ]);
    const deliveries = await db
      .prepare('SELECT issue_id, subscriber_id FROM newsletter_deliveries ORDER BY issue_id')
      .all();
    expect(deliveries.results).toEqual([
      { issue_id: 1, subscriber_id: 2 },
      { issue_id: 2, subscriber_id: 2 },
    ]);
    await expect(
      db.prepare("INSERT INTO subscribers (email, email_hash) VALUES ('rEADER@x.org', 'h6')").run(),
    ).rejects.toThrow(/UNIQUE/);
  });
});

describe('0030 and 0032: counts and tag order kept by triggers', () => {
  const db = env.MIGRATION_DB;

  it('counts each article’s approved comments and copies its publication into its tags, then keeps both', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name < '0030'));
    await seedWhatFits();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name.startsWith('0030')));
    const counts = await db
      .prepare(
        "SELECT id, comment_count AS kept, (SELECT count(*) FROM comments WHERE article_id = articles.id AND status = 'approved') AS counted FROM articles",
      )
      .all<{ id: number; kept: number; counted: number }>();
    expect(counts.results.some((row) => row.counted > 0)).toBe(true);
    for (const row of counts.results) expect(row.kept, String(row.id)).toBe(row.counted);
    const copies = await db
      .prepare(
        'SELECT count(*) AS wrong FROM article_tags JOIN articles ON articles.id = article_id WHERE article_tags.status IS NOT articles.status OR article_tags.published_at IS NOT articles.published_at',
      )
      .first<{ wrong: number }>();
    expect(copies!.wrong).toBe(0);

    const { id } = (await db
      .prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'")
      .first<{ id: number }>())!;
    const kept = async () =>
      (await db.prepare('SELECT comment_count AS n FROM articles WHERE id = ?').bind(id).first<{ n: number }>())!.n;
    const start = await kept();
    const comment = await db
      .prepare(
        "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'A', 'a@example.com', 'Hi', 'hash-of-hi', 'pending') RETURNING id",
      )
      .bind(id)
      .first<{ id: number }>();
    expect(await kept()).toBe(start);
    await db.prepare("UPDATE comments SET status = 'approved' WHERE id = ?").bind(comment!.id).run();
    expect(await kept()).toBe(start + 1);
    await db.prepare('DELETE FROM comments WHERE id = ?').bind(comment!.id).run();
    expect(await kept()).toBe(start);
    await db.prepare("UPDATE articles SET status = 'draft' WHERE id = ?").bind(id).run();
    const tags = await db.prepare('SELECT DISTINCT status FROM article_tags WHERE article_id = ?').bind(id).all();
    expect(tags.results).toEqual([{ status: 'draft' }]);

    // 0032: the threads (approved top-level comments) are counted too, by the same triggers.
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name >= '0031'));
    const threads = async () =>
      (await db.prepare('SELECT thread_count AS n FROM articles WHERE id = ?').bind(id).first<{ n: number }>())!.n;
    const counted = await db
      .prepare("SELECT count(*) AS n FROM comments WHERE article_id = ? AND status = 'approved' AND parent_id IS NULL")
      .bind(id)
      .first<{ n: number }>();
    expect(await threads()).toBe(counted!.n);
    const thread = await db
      .prepare(
        "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'B', 'b@example.com', 'Yo', 'hash-of-yo', 'approved') RETURNING id",
      )
      .bind(id)
      .first<{ id: number }>();
    await db
      .prepare(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status) VALUES (?, ?, ?, 1, 'C', 'c@example.com', 'Re', 'hash-of-re', 'approved')",
      )
      .bind(id, thread!.id, thread!.id)
      .run();
    expect(await threads()).toBe(counted!.n + 1);
    expect(await kept()).toBe(start + 2);
    await db.prepare("UPDATE comments SET status = 'spam' WHERE id = ?").bind(thread!.id).run();
    expect(await threads()).toBe(counted!.n);
  });
});

describe('0033: thread numbers', () => {
  const db = env.MIGRATION_DB;

  it('numbers each article’s approved threads oldest first, ties by id, and leaves replies and held comments unnumbered', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name < '0033'));
    await seedWhatFits();
    const { id } = (await db
      .prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'")
      .first<{ id: number }>())!;
    await db
      .prepare(
        "INSERT INTO comments (id, article_id, parent_id, root_id, author_name, author_email, body, body_hash, status, created_at) VALUES (901, ?1, NULL, NULL, 'A', 'a@x.org', 'a', 'a', 'approved', 30), (902, ?1, NULL, NULL, 'B', 'b@x.org', 'b', 'b', 'approved', 10), (903, ?1, NULL, NULL, 'C', 'c@x.org', 'c', 'c', 'pending', 20), (904, ?1, 902, 902, 'D', 'd@x.org', 'd', 'd', 'approved', 40), (905, ?1, NULL, NULL, 'E', 'e@x.org', 'e', 'e', 'approved', 10)",
      )
      .bind(id)
      .run();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name.startsWith('0033')));
    const numbers = await db
      .prepare('SELECT id, thread_number FROM comments WHERE id > 900 ORDER BY id')
      .all<{ id: number; thread_number: number | null }>();
    expect(numbers.results).toEqual([
      // Older than the sample's own comments (times 10 and 30), so numbered first.
      { id: 901, thread_number: 3 },
      { id: 902, thread_number: 1 },
      { id: 903, thread_number: null },
      { id: 904, thread_number: null },
      { id: 905, thread_number: 2 },
    ]);
    const sample = await db
      .prepare(
        'SELECT min(thread_number) AS first, max(thread_number) AS last, thread_count AS count FROM comments JOIN articles ON articles.id = article_id WHERE article_id = ? AND comments.id < 900',
      )
      .bind(id)
      .first<{ first: number; last: number; count: number }>();
    expect(sample).toEqual({ first: 4, last: sample!.count, count: expect.any(Number) });
  });
});

describe('0036: tallies', () => {
  const db = env.MIGRATION_DB;

  it('counts every status of articles, comments and subscribers, then keeps the counts as rows come, change and go', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name < '0036'));
    await seedWhatFits();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name.startsWith('0036')));
    const check = async () => {
      for (const table of ['articles', 'comments', 'subscribers']) {
        const { results } = await db
          .prepare(
            `SELECT name, count, (SELECT count(*) FROM ${table} WHERE '${table}:' || status = name) AS counted FROM tallies WHERE name LIKE '${table}:%'`,
          )
          .all<{ name: string; count: number; counted: number }>();
        expect(results.length, table).toBeGreaterThan(1);
        for (const row of results) expect(row.count, row.name).toBe(row.counted);
      }
    };
    await check();
    const published = await db
      .prepare("SELECT count FROM tallies WHERE name = 'articles:published'")
      .first<{ count: number }>();
    expect(published!.count).toBeGreaterThan(0);
    await db.batch([
      db.prepare("INSERT INTO subscribers (email, email_hash, status) VALUES ('t1@x.org', 't1', 'unconfirmed')"),
      db.prepare("UPDATE subscribers SET status = 'confirmed' WHERE email = 't1@x.org'"),
      db.prepare(
        "UPDATE articles SET status = 'draft' WHERE id = (SELECT min(id) FROM articles WHERE status = 'published')",
      ),
      db.prepare("DELETE FROM subscribers WHERE email = 't1@x.org'"),
    ]);
    await check();
  });
});

describe('0040: activity slots', () => {
  const db = env.MIGRATION_DB;

  it('counts comments and confirmations a 15-minute slot, then follows rows as they come, move and go', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name < '0040'));
    await seedWhatFits();
    await apply(env.TEST_MIGRATIONS.filter((migration) => migration.name.startsWith('0040')));
    const check = async () => {
      for (const [series, table, column] of [
        ['comments', 'comments', 'created_at'],
        ['signups', 'subscribers', 'confirmed_at'],
      ] as const) {
        const { results } = await db
          .prepare(`SELECT slot, count FROM activity_slots WHERE series = ? AND count > 0 ORDER BY slot`)
          .bind(series)
          .all<{ slot: number; count: number }>();
        const counted = await db
          .prepare(
            `SELECT ${column} / 900000 AS slot, count(*) AS count FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY 1`,
          )
          .all<{ slot: number; count: number }>();
        expect(results, series).toEqual(counted.results);
      }
    };
    await check();
    const at = Date.UTC(2026, 11, 6, 10, 7);
    await db.batch([
      db.prepare("INSERT INTO subscribers (email, email_hash, status) VALUES ('a1@x.org', 'a1', 'unconfirmed')"),
      db.prepare("UPDATE subscribers SET status = 'confirmed', confirmed_at = ? WHERE email = 'a1@x.org'").bind(at),
      db
        .prepare(
          "INSERT INTO subscribers (email, email_hash, status, confirmed_at) VALUES ('a2@x.org', 'a2', 'confirmed', ?)",
        )
        .bind(at + 60_000),
      db.prepare("UPDATE subscribers SET confirmed_at = ? WHERE email = 'a2@x.org'").bind(at + 3_600_000),
      db.prepare("DELETE FROM subscribers WHERE email = 'a1@x.org'"),
      db.prepare('UPDATE comments SET created_at = ? WHERE id = (SELECT min(id) FROM comments)').bind(at),
      db.prepare('DELETE FROM comments WHERE id = (SELECT max(id) FROM comments)'),
    ]);
    await check();
  });
});
