import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { moderateComment } from '../../src/comments/moderation/moderation';
import { primaryDb } from '../../src/db/client';
import { zoneName } from '../../src/lib/dates';
import { afterPurge, clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH } from '../support/helpers';

beforeEach(clearPageCache);

const SLUG = 'russia-eyes-korean-peninsula';

/** Stores a held comment on the sample article, as a reader's post would, and returns its id. */
async function heldComment(body: string): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status)
     SELECT id, 'Counter', 'counter@example.com', ?1, ?1, 'pending' FROM articles WHERE slug = ?2 RETURNING id`,
  )
    .bind(body, SLUG)
    .first<{ id: number }>();
  return row!.id;
}

const countLink = (html: string) =>
  /<a class="comment-count" href="\/2010\/11\/russia-eyes-korean-peninsula#comments">([^<]+)<\/a>/.exec(html)?.[1];

describe('times', () => {
  it('name their zone: an abbreviation where English has one, else the offset from UTC', () => {
    const winter = new Date('2010-11-16T09:00:00Z');
    const summer = new Date('2010-07-16T09:00:00Z');
    expect(zoneName(winter, 'Asia/Tokyo')).toBe('UTC+9');
    expect(zoneName(winter, 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(zoneName(winter, 'America/New_York')).toBe('EST');
    expect(zoneName(summer, 'America/New_York')).toBe('EDT');
    expect(zoneName(winter, 'UTC')).toBe('UTC');
    expect(zoneName(winter, 'Europe/Paris')).toBe('UTC+1');
  });

  it('carry the full ISO instant and say their zone everywhere readers see one', async () => {
    for (const path of ['/', SAMPLE_ARTICLE_PATH, '/section/security', '/author/richard-weitz', '/search?q=russia']) {
      const html = await (await fetchPage(path)).text();
      const times = [...html.matchAll(/<time([^>]*)>([^<]*)<\/time>/g)];
      expect(times.length, path).toBeGreaterThan(0);
      for (const [, attributes, text] of times) {
        // The article's own date also carries its microformat class (dt-published).
        const instant = /^(?: class="dt-published")? datetime="(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"$/.exec(
          attributes!,
        )?.[1];
        expect(instant, `${path}: ${attributes}`).toBeDefined();
        expect(text, path).toMatch(/ at \d{2}:\d{2} UTC\+9$/);
      }
    }
  });
});

describe('comment counts on lists', () => {
  it('show on the home page, section, tag and author pages and search results, linking to #comments', async () => {
    for (const path of [
      '/',
      '/section/security',
      '/tag/six-party-talks',
      '/author/richard-weitz',
      '/search?q=russia',
    ]) {
      const html = await (await fetchPage(path)).text();
      expect(countLink(html), path).toBe('3 comments');
    }
  });

  it('count approved comments only and stay correct through the cache', async () => {
    const id = await heldComment(`A held comment ${Date.now()}`);
    const first = await fetchPage('/');
    expect(countLink(await first.text())).toBe('3 comments');
    const cached = await fetchPage('/section/security');
    await cached.text();
    expect((await fetchPage('/section/security')).headers.get('X-Cache')).toBe('HIT');

    await moderateComment(env, primaryDb(env), id, 'approve');
    await afterPurge(async () => {
      for (const path of ['/', '/section/security', '/tag/six-party-talks', '/author/richard-weitz']) {
        expect(countLink(await (await fetchPage(path)).text()), path).toBe('4 comments');
      }
    });
    await moderateComment(env, primaryDb(env), id, 'delete');
    await afterPurge(async () => expect(countLink(await (await fetchPage('/')).text())).toBe('3 comments'));
  });

  it('say "1 comment" and "No comments yet"', async () => {
    const html = await (await fetchPage('/')).text();
    const counts = [...html.matchAll(/<a class="comment-count"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1]);
    const { results } = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved') AS n
       FROM articles a WHERE a.status = 'published' ORDER BY a.published_at DESC, a.id DESC LIMIT ?`,
    )
      .bind(Number(env.ARTICLES_PER_PAGE))
      .all<{ n: number }>();
    expect(counts).toEqual(
      results.map(({ n }) => (n === 0 ? 'No comments yet' : n === 1 ? '1 comment' : `${n} comments`)),
    );
  });
});
