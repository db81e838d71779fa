/** axe-core on the home, article, 404 and form-error pages; commenting by keyboard alone; the article page's screenshots. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './support/browser';
import { query } from './support/site';

const ARTICLE = '/2010/11/russia-eyes-korean-peninsula';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The serious and critical axe violations on the page as it is now (axe is injected past the site's `script-src 'none'`). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const { passes, violations } = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ passes: unknown[]; violations: Violation[] }> } })
      .axe;
    const { passes, violations } = await axe.run();
    return { passes: passes.length, violations };
  });
  expect(passes, 'axe checked nothing').toBeGreaterThan(10);
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

describe('accessibility (axe-core)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations on the home, article and 404 pages (${colorScheme})`, async () => {
      const page = await openPage(browser, { bypassCSP: true, colorScheme });
      for (const [path, status] of [
        ['/', 200],
        [ARTICLE, 200],
        ['/no/such/page', 404],
      ] as const) {
        expect((await page.goto(path))!.status()).toBe(status);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });
  }

  it('has none on a static page in the header navigation, nor on a page with both navigations', async () => {
    query(
      "INSERT OR IGNORE INTO static_pages (slug, title, body_markdown, body_html, status, nav_position) VALUES ('masthead', 'Masthead', 'Who we are.', '<p>Who we are.</p>', 'published', 0)",
    );
    const page = await openPage(browser, { bypassCSP: true });
    for (const [path, status] of [
      ['/masthead', 200],
      ['/no/such/page/either', 404],
    ] as const) {
      expect((await page.goto(path))!.status()).toBe(status);
      expect(await page.locator('nav[aria-label="Pages"] a[href="/masthead"]').count(), path).toBe(1);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });

  it('has none on the comment form sent back with errors (422)', async () => {
    const page = await openPage(browser, { bypassCSP: true });
    await page.goto(ARTICLE);
    await page.fill('#comment-name', ' ');
    await page.fill('#comment-email', 'reader@example.com');
    await page.fill('#comment-comment', 'Kept text.');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#respond button[type=submit]')]);
    expect(response!.status()).toBe(422);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('keyboard only, JavaScript off', () => {
  it('tabs through the comment form, types, and posts with Enter on the button', async () => {
    // A reader on a network of their own: a cached page's form token stores one comment per network,
    // and every other browser of this suite is 127.0.0.1.
    const page = await openPage(browser, {
      javaScriptEnabled: false,
      extraHTTPHeaders: { 'CF-Connecting-IP': '198.51.100.7' },
    });
    await page.goto(`${ARTICLE}#respond`); // the fragment moves the sequential focus starting point to the form
    await page.waitForTimeout(3_100); // a person takes more than the 3 s the form's token requires
    const focusedId = () => page.evaluate(() => document.activeElement?.id);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('comment-name');
    await page.keyboard.type('Keyboard Reader');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('comment-email');
    await page.keyboard.type(`keyboard-${Date.now()}@example.com`);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('comment-comment');
    await page.keyboard.type('Written and sent without a mouse.');
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    await page.keyboard.press('Tab'); // the honeypot field is out of the tab order
    expect(await focusedName()).toBe('notify');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('notify_all');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Post Comment');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await expect(page.locator('#comment-notice').textContent()).resolves.toContain(
      'Your comment is awaiting moderation.',
    );
  });
});

describe('screenshots of the article page (e2e-artifacts/)', () => {
  for (const width of [375, 1280]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${width} px, ${colorScheme}`, async () => {
        const page = await openPage(browser, { viewport: { width, height: 900 }, colorScheme });
        await page.goto(ARTICLE);
        await page.screenshot({ path: `e2e-artifacts/article-${width}-${colorScheme}.png`, fullPage: true });
      });
    }
  }
});
