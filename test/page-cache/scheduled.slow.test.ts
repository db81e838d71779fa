import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STALENESS_BOUND_SECONDS } from '../../src/page-cache/purge-queue';
import { clearPageCache, visibleText } from '../support/helpers';
import { ProductionSite } from '../support/production';

const EVERY_MINUTE = '* * * * *';

async function schedule(slug: string, headline: string, publishedAt: number) {
  await env.DB.prepare(
    `INSERT INTO articles (slug, headline, standfirst, body_markdown, body_html, status, published_at, author_id, section_id)
     VALUES (?, ?, '', 'Body.', '<p>Body.</p>', 'published', ?, (SELECT id FROM authors LIMIT 1), (SELECT id FROM sections LIMIT 1))`,
  )
    .bind(slug, headline, publishedAt)
    .run();
}

const pageText = async (site: ProductionSite, path: string) => visibleText(await (await site.fetch(path)).text());

beforeEach(clearPageCache);
// D1 is shared by the tests of a file: an article left due would be due for the next test's cron too.
afterEach(async () => {
  await env.DB.prepare("DELETE FROM articles WHERE slug LIKE 'scheduled-%'").run();
});

describe('scheduled articles', () => {
  it('appear on the cached home page and feed within a minute of their time, through the every-minute cron', async () => {
    const site = new ProductionSite();
    const headline = `Scheduled for two seconds from now ${Date.now()}`;
    const at = Date.now() + 2000;
    await schedule(`scheduled-soon-${Date.now()}`, headline, at);
    expect(await pageText(site, '/')).not.toContain(headline);
    expect(await (await site.fetch('/feed.xml')).text()).not.toContain(headline);
    expect((await site.fetch('/')).headers.get('X-Cache')).toBe('HIT');

    await site.scheduled(EVERY_MINUTE, Date.now());
    const delays = site.purges.sent.map((message) => message.delaySeconds);
    expect(delays.length).toBeGreaterThan(0);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(2);
    }

    // The queue delivers the purge at the article's time; then the next view is rendered afresh.
    await scheduler.wait(Math.max(0, at - Date.now()) + 50);
    await site.drainPurges();
    expect(await pageText(site, '/')).toContain(headline);
    expect(await (await site.fetch('/feed.xml')).text()).toContain(headline);
  }, 20_000);

  it('purges at once for an article whose time passed since the last run, and sends nothing when none is due', async () => {
    const site = new ProductionSite();
    await site.scheduled(EVERY_MINUTE, Date.now());
    expect(site.purges.sent).toEqual([]);

    const headline = `Scheduled half a minute ago ${Date.now()}`;
    expect(await pageText(site, '/')).not.toContain(headline);
    await schedule(`scheduled-missed-${Date.now()}`, headline, Date.now() - 30_000);
    expect(await pageText(site, '/')).not.toContain(headline);

    await site.scheduled(EVERY_MINUTE, Date.now());
    expect(site.purges.sent.every((message) => message.delaySeconds === 0)).toBe(true);
    await site.drainPurges();
    expect(await pageText(site, '/')).toContain(headline);
  });

  it('leaves an article due later than the next run for that run', async () => {
    const site = new ProductionSite();
    await schedule(`scheduled-later-${Date.now()}`, 'Scheduled for later', Date.now() + 5 * 60_000);
    await site.scheduled(EVERY_MINUTE, Date.now());
    expect(site.purges.sent).toEqual([]);
    expect(STALENESS_BOUND_SECONDS).toBeLessThanOrEqual(60);
  });
});
