import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

import { apply, reset, tables } from '../support/migration-db';

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
