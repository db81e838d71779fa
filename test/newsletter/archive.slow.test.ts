import { env } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInStaff } from '../support/admin-helpers';
import { afterPurge, fetchPage, visibleText } from '../support/helpers';
import { addSubscriber, publishRecentArticle, watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

const DAY = 24 * 60 * 60 * 1000;
const ISSUES = '/admin/newsletter/issues';
const FEED = '/newsletter/issues/atom.xml';

afterEach(() => {
  vi.restoreAllMocks();
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, path) => ['feed.entry', 'feed.link'].includes(String(path)),
});

interface AtomEntry {
  title: { '#text': string };
  link: { '@href': string };
  summary: { '#text': string };
  content: { '#text': string };
}

async function feedEntries() {
  const response = await fetchPage(FEED);
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=UTF-8');
  const xml = await response.text();
  expect(XMLValidator.validate(xml)).toBe(true);
  return { xml, entries: (parser.parse(xml).feed.entry ?? []) as AtomEntry[] };
}

let subscriber: string;

beforeAll(async () => {
  await publishRecentArticle('monsoon-arrives-early', 'Monsoon Arrives Early in Kerala', 2 * DAY);
  subscriber = uniqueEmail('archive-reader');
  await addSubscriber(subscriber, 'confirmed');
});

describe('the newsletter archive', () => {
  it('shows the signup form and no issue before any is sent, through the cache, with its feed linked', async () => {
    const first = await fetchPage('/newsletter');
    expect(first.status).toBe(200);
    expect(first.headers.get('X-Cache')).toBe('MISS');
    const html = await first.text();
    expect(html).toContain('<form method="post" action="/newsletter">');
    expect(html).toContain(
      '<link rel="alternate" type="application/atom+xml" title="The edgepress Brief: past issues (Atom)" href="/newsletter/issues/atom.xml"/>',
    );
    expect(visibleText(html)).toContain('No issue has been sent yet.');
    expect((await fetchPage('/newsletter')).headers.get('X-Cache')).toBe('HIT');
    expect((await feedEntries()).entries).toEqual([]);
    expect((await fetchPage(FEED)).headers.get('X-Cache')).toBe('HIT');
    expect((await fetchPage('/newsletter/issues/1')).status).toBe(404);
  });

  it('lists an issue once it is sent (the send purges the archive), with its page and feed entry, and no subscriber’s link', async () => {
    const editor = await signedInStaff('editor');
    const created = await editor.post(ISSUES);
    const id = Number(/(\d+)$/.exec(created.headers.get('Location')!)![1]);
    const article = await env.DB.prepare("SELECT id FROM articles WHERE slug = 'monsoon-arrives-early'").first<number>(
      'id',
    );
    await editor.post(`${ISSUES}/${id}`, {
      subject: 'Rain & ports',
      preheader: 'The monsoon, early',
      intro: 'Hello from the **desk**.',
      closing: 'Until next week.',
      article: String(article),
      position: '1',
      include: String(article),
    });
    // Not sent yet: its page is not there, even for an editor who guesses the number.
    const { number } = (await env.DB.prepare('SELECT number FROM newsletter_issues WHERE id = ?').bind(id).first<{
      number: number;
    }>())!;
    expect((await fetchPage(`/newsletter/issues/${number}`)).status).toBe(404);

    const mail = watchMail();
    expect((await editor.post(`${ISSUES}/${id}/send`)).status).toBe(303);

    const archive = await afterPurge(async () => {
      const response = await fetchPage('/newsletter');
      const text = visibleText(await response.text());
      expect(text).toContain(`No. ${number}: Rain & ports`);
      return text;
    });
    expect(archive).not.toContain('No issue has been sent yet.');

    const page = await fetchPage(`/newsletter/issues/${number}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Hello from the <strong>desk</strong>.');
    expect(html).toContain('Monsoon Arrives Early in Kerala');
    expect(html).toContain('Until next week.');
    expect(html).not.toContain('unsubscribe');
    expect(html).not.toContain('{{unsubscribe_url}}');
    expect(html).not.toContain(subscriber);
    expect((await fetchPage(`/newsletter/issues/${number}`)).headers.get('X-Cache')).toBe('HIT');
    // The number's other spellings are no page, so they make no cache entry of their own.
    for (const spelling of [`0${number}`, `00${number}`]) {
      expect((await fetchPage(`/newsletter/issues/${spelling}`)).status, spelling).toBe(404);
    }
    const { keys } = await env.PAGE_CACHE.list({ prefix: 'page:/newsletter/issues/0' });
    expect(keys).toEqual([]);

    const { entries, xml } = await afterPurge(async () => {
      const feed = await feedEntries();
      expect(feed.entries).toHaveLength(1);
      return feed;
    });
    expect(entries[0]!.title['#text']).toBe(`No. ${number}: Rain & ports`);
    expect(entries[0]!.link['@href']).toBe(`http://localhost:8787/newsletter/issues/${number}`);
    expect(entries[0]!.summary['#text']).toBe('The monsoon, early');
    expect(entries[0]!.content['#text']).toContain('Hello from the <strong>desk</strong>.');
    expect(xml).not.toContain('unsubscribe');

    const sitemap = await afterPurge(async () => {
      const text = await (await fetchPage('/sitemaps/pages.xml')).text();
      expect(text).toContain(`<loc>http://localhost:8787/newsletter/issues/${number}</loc>`);
      return text;
    });
    expect(sitemap).toContain('<loc>http://localhost:8787/newsletter</loc>');

    // The subscriber's copy links to that page.
    const [copy] = await vi.waitFor(
      () => {
        const copies = mail.to(subscriber);
        expect(copies).toHaveLength(1);
        return copies;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(copy!.html).toContain(
      `<a href="http://localhost:8787/newsletter/issues/${number}" style="color:#5f6368">View in your browser</a>`,
    );
  }, 60_000);
});
