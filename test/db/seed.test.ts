import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { seedDatabase } from '../support/helpers';

const TABLES = ['sections', 'authors', 'tags', 'articles', 'article_tags', 'comments'] as const;

async function snapshot() {
  const entries = await Promise.all(
    TABLES.map(
      async (table) => [table, (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()).results] as const,
    ),
  );
  return Object.fromEntries(entries);
}

describe('the seed', () => {
  it('holds the sample article, its credit and its three comments', async () => {
    const article = await env.DB.prepare(
      "SELECT id, headline, hero_image_credit, status FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ id: number; headline: string; hero_image_credit: string; status: string }>();
    expect(article).toMatchObject({
      headline: 'Russia Eyes Korean Peninsula',
      hero_image_credit: "South Korean President's Office",
      status: 'published',
    });
    const { results } = await env.DB.prepare(
      'SELECT author_name, status FROM comments WHERE article_id = ? ORDER BY created_at DESC',
    )
      .bind(article!.id)
      .all();
    expect(results).toEqual([
      { author_name: 'Mladen Matosevic', status: 'approved' },
      { author_name: 'Philipp Ivanov', status: 'approved' },
      { author_name: 'R. Jordan Prescott', status: 'approved' },
    ]);
  });

  it('changes nothing and loses nothing when run again', async () => {
    const article = await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
      id: number;
    }>();
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'Local Reader', 'local@example.com', 'Posted locally', 'x', 'approved')",
    )
      .bind(article!.id)
      .run();
    await env.DB.prepare(
      "UPDATE articles SET headline = 'Edited Locally' WHERE slug = 'russia-eyes-korean-peninsula'",
    ).run();

    const before = await snapshot();
    await seedDatabase();
    await seedDatabase();
    expect(await snapshot()).toEqual(before);
  });
});
