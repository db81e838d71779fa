import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { siteConfig } from '../../src/config';
import { TEASER_MARKER } from '../../src/lib/markdown';
import { articlePath, FEED_FORMATS, feedPath } from '../../src/paths';
import {
  type AdminSession,
  articleFields,
  createArticle,
  publishFromPage,
  signedInStaff,
} from '../support/admin-helpers';
import { afterPurge, clearPageCache, elementsIn, fetchPage, SAMPLE_ARTICLE_PATH } from '../support/helpers';
import { asMember, signedInMember } from '../support/member-helpers';
import { unique, uniqueEmail } from '../support/unique';

const DAY_MS = 24 * 60 * 60 * 1000;

const sampleArticle = () =>
  env.DB.prepare(
    "SELECT id, headline, slug, standfirst, body_markdown FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
  ).first<{
    id: number;
    headline: string;
    slug: string;
    standfirst: string;
    body_markdown: string;
  }>();

/** Saves the sample article through the editor's form with this body and access, as an editor does. */
async function saveSampleArticle(body: string, access: string) {
  const { id, headline, slug, standfirst } = (await sampleArticle())!;
  const fields = await articleFields({ headline, slug, standfirst, body, access }, id);
  expect((await editor.post(`/admin/articles/${id}`, fields)).status).toBe(303);
}

/** A published article written through the editor's form; its public path. */
async function publishedArticle(session: AdminSession, overrides: Record<string, string>) {
  const id = await createArticle(session, overrides);
  expect((await publishFromPage(session, id)).status).toBe(303);
  const row = await env.DB.prepare('SELECT slug, published_at FROM articles WHERE id = ?')
    .bind(id)
    .first<{ slug: string; published_at: number }>();
  return {
    id,
    path: articlePath({ slug: row!.slug, publishedAt: new Date(row!.published_at) }, siteConfig(env).timeZone),
  };
}

/** A member signed in, with paid access until `paidUntil` (the column subscriptions keep), and their name. */
async function memberPaidUntil(paidUntil: Date | null) {
  const email = uniqueEmail('reader');
  const name = unique('Reader Name');
  const cookie = await signedInMember(email, name);
  await env.DB.prepare('UPDATE members SET paid_until = ? WHERE email = ?')
    .bind(paidUntil?.getTime() ?? null, email)
    .run();
  return { cookie, email, name };
}

/** The start of a paragraph's Markdown, as it reads in HTML, Markdown, XML and JSON alike. */
const sentence = (paragraph: string) => paragraph.slice(0, 60);

let editor: AdminSession;
let paragraphs: string[];
/** The sample article, made paid by an editor who put the teaser marker after its third paragraph. */
const paid = { path: SAMPLE_ARTICLE_PATH };
const TEASER_LENGTH = 3;

beforeAll(async () => {
  editor = await signedInStaff('editor');
  paragraphs = (await sampleArticle())!.body_markdown.trim().split(/\n\n+/);
  const body = [...paragraphs.slice(0, TEASER_LENGTH), TEASER_MARKER, ...paragraphs.slice(TEASER_LENGTH)].join('\n\n');
  await saveSampleArticle(body, 'paid');
});

const teaser = () => paragraphs.slice(0, TEASER_LENGTH);
const paidPart = () => paragraphs.slice(TEASER_LENGTH);

function expectTeaserOnly(text: string, where: string) {
  for (const paragraph of teaser()) expect(text, where).toContain(sentence(paragraph));
  for (const paragraph of paidPart()) expect(text, where).not.toContain(sentence(paragraph));
  expect(text, where).not.toContain('more--');
}

describe('a paid article', () => {
  it('gives a reader without an account the teaser and an invitation, from one shared cache entry', async () => {
    const first = await fetchPage(paid.path);
    const html = await first.text();
    expectTeaserOnly(html, 'the page');
    expect(html).toContain('<a href="/subscribe">Subscribe</a>');
    expect((await fetchPage('/subscribe')).status).toBe(200);
    const again = await fetchPage(paid.path);
    expect(again.headers.get('X-Cache')).toBe('HIT');
    expect(await again.text()).toBe(html);
    expect(await env.PAGE_CACHE.get(`page:${paid.path}|`)).toBe(html);

    // Search engines are told which part is paywalled, as Google's guidelines for subscription content say.
    const [script] = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)!.slice(1);
    expect(JSON.parse(script!)).toMatchObject({
      isAccessibleForFree: false,
      hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywalled' },
    });
    expect(await elementsIn(html, '.paywalled')).toHaveLength(1);
  });

  it('carries only the teaser in its Markdown and in every feed', async () => {
    expectTeaserOnly(await (await fetchPage(`${paid.path}.md`)).text(), 'the .md address');
    const negotiated = await fetchPage(paid.path, { headers: { Accept: 'text/markdown' } });
    expectTeaserOnly(await negotiated.text(), 'the Markdown by Accept');
    for (const format of FEED_FORMATS) {
      const feed = await (await fetchPage(feedPath(format))).text();
      expect(feed, format).toContain(paid.path);
      expectTeaserOnly(feed, format);
    }
    const search = await (await fetchPage(`/search?q=${encodeURIComponent('"frequently stressed"')}`)).text();
    expect(search).toContain(paid.path);
    expect(search).not.toContain('opposition');
  });

  it('is read whole by a member whose paid access runs, and as a teaser once it has ended', async () => {
    const reader = await memberPaidUntil(new Date(Date.now() + DAY_MS));
    const page = await asMember(paid.path, reader.cookie);
    const html = await page.text();
    for (const paragraph of paragraphs) expect(html).toContain(sentence(paragraph));
    expect(html).not.toContain('more--');
    expect(html).toContain(`You comment as <b>${reader.name}</b>`);
    expect(await elementsIn(html, '.paywalled')).toHaveLength(1);
    const markdown = await (await asMember(`${paid.path}.md`, reader.cookie)).text();
    expect(markdown).toContain(sentence(paragraphs.at(-1)!));

    const expired = await memberPaidUntil(new Date(Date.now() - DAY_MS));
    const teaserPage = await (await asMember(paid.path, expired.cookie)).text();
    expectTeaserOnly(teaserPage, 'an expired member');
    expect(teaserPage).toContain(`You comment as <b>${expired.name}</b>`);
    expect(teaserPage).not.toContain('Subscribed already?');
    const never = await memberPaidUntil(null);
    expectTeaserOnly(await (await asMember(`${paid.path}.md`, never.cookie)).text(), 'a member who never paid');
  });

  it('shares one cache entry per access level, with no member’s name or address in it', async () => {
    await clearPageCache();
    const readers = [
      await memberPaidUntil(new Date(Date.now() + DAY_MS)),
      await memberPaidUntil(new Date(Date.now() + DAY_MS)),
      await memberPaidUntil(null),
    ];
    for (const reader of readers) {
      const page = await asMember(paid.path, reader.cookie);
      expect(await page.text()).toContain(`You comment as <b>${reader.name}</b>`);
    }
    await (await fetchPage(paid.path)).text();
    const entries = await Promise.all(
      ['|@paid', '|@member', '|'].map(async (level) => [level, await env.PAGE_CACHE.get(`page:${paid.path}${level}`)]),
    );
    for (const [level, entry] of entries) {
      expect(entry, level!).toBeTruthy();
      for (const { name, email } of readers) {
        expect(entry!.includes(name), `${level} names a member`).toBe(false);
        expect(entry!.includes(email), `${level} has a member's address`).toBe(false);
      }
    }
    expect(entries[0]![1]).toContain(sentence(paragraphs.at(-1)!));
    expect(entries[1]![1]).not.toContain(sentence(paragraphs.at(-1)!));
  });

  it('purges every access level’s page when the article changes', async () => {
    const reader = await memberPaidUntil(new Date(Date.now() + DAY_MS));
    await (await asMember(paid.path, reader.cookie)).text();
    await (await fetchPage(paid.path)).text();
    await saveSampleArticle(`${paragraphs.join('\n\n')}\n\nA closing line added later.`, 'paid');
    await afterPurge(async () => {
      for (const level of ['|', '|@member', '|@paid']) {
        expect(await env.PAGE_CACHE.get(`page:${paid.path}${level}`), level).toBeNull();
      }
    });
    expect(await (await asMember(paid.path, reader.cookie)).text()).toContain('A closing line added later.');
    // Without a marker the teaser is the opening paragraphs.
    expect(await (await fetchPage(paid.path)).text()).not.toContain(sentence(paragraphs[2]!));
  });
});

describe('a members’ article', () => {
  it('gives its opening paragraphs and a sign-up invitation to a reader without an account, all of it to a member', async () => {
    const members = await publishedArticle(editor, { body: paragraphs.join('\n\n'), access: 'members' });
    const html = await (await fetchPage(members.path)).text();
    expect(html).toContain(sentence(paragraphs[1]!));
    expect(html).not.toContain(sentence(paragraphs[2]!));
    expect(html).toContain('<a href="/account/sign-in">Sign up or sign in</a>');
    const reader = await memberPaidUntil(null);
    const whole = await (await asMember(members.path, reader.cookie)).text();
    expect(whole).toContain(sentence(paragraphs.at(-1)!));
  });
});
