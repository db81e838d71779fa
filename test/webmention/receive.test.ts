import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../src/webmention/bounded-fetch';
import { MESSAGES_PER_INVOCATION } from '../../src/webmention/queue';
import { createArticle, signedInStaff } from '../support/admin-helpers';
import { clearPageCache, elementsIn, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../support/helpers';
import { nextNumber } from '../support/unique';
import { publishPage, SITE, siteWithMentionQueue, WEB } from './web-helpers';

const TARGET = `${SITE}${SAMPLE_ARTICLE_PATH}`;

/** A reply on someone's blog, marked up as IndieWeb sites do (h-entry with an h-card author). */
const replyPage = (text: string, target = TARGET) => `<!doctype html>
<html><head><title>A blog post about Korea</title></head>
<body>
  <article class="h-entry">
    <p class="p-author h-card"><a class="u-url p-name" href="/">Aiko Tanaka</a></p>
    <div class="e-content"><p>${text} See <a href="${target}">this analysis</a>.</p></div>
  </article>
</body></html>`;

const postForm = (site: typeof fetchPage, fields: Record<string, string>) =>
  site('/webmention', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'CF-Connecting-IP': `198.51.${nextNumber() % 250}.7`,
    },
    body: new URLSearchParams(fields),
  });

const mentionRow = (source: string) =>
  env.DB.prepare('SELECT id, author_name, body, status, held_reason, author_email FROM comments WHERE source_url = ?')
    .bind(source)
    .first<{
      id: number;
      author_name: string;
      body: string;
      status: string;
      held_reason: string | null;
      author_email: string;
    }>();

/** The article page as a reader gets it once the cache has caught up. */
async function articleText() {
  await clearPageCache();
  return visibleText(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text());
}

beforeEach(clearPageCache);

describe('the endpoint', () => {
  it('is advertised on every article, in a Link header and in the head, cached or not', async () => {
    for (const attempt of [1, 2]) {
      const response = await fetchPage(SAMPLE_ARTICLE_PATH);
      expect(response.headers.get('Link'), `#${attempt}`).toBe(`<${SITE}/webmention>; rel="webmention"`);
      expect(await elementsIn(await response.text(), 'link[rel="webmention"]')).toEqual([
        { rel: 'webmention', href: `${SITE}/webmention` },
      ]);
    }
  });

  it('refuses what cannot be a mention of one of our articles with 400 and the reason', async () => {
    const session = await signedInStaff();
    const draft = await createArticle(session);
    const draftSlug = await env.DB.prepare('SELECT slug FROM articles WHERE id = ?').bind(draft).first<string>('slug');
    const source = `${WEB}someone/post`;
    const cases: [Record<string, string>, string][] = [
      [{ target: TARGET }, 'source must be an http(s) URL'],
      [{ source: 'ftp://example.com/post', target: TARGET }, 'source must be an http(s) URL'],
      [{ source, target: 'not a url' }, 'target must be an http(s) URL'],
      [
        { source, target: 'https://example.com/2010/11/russia-eyes-korean-peninsula' },
        'target is not a published article of this site',
      ],
      [{ source, target: `${SITE}/2010/11/no-such-article` }, 'target is not a published article of this site'],
      [{ source, target: `${SITE}/2026/01/${draftSlug}` }, 'target is not a published article of this site'],
      [{ source, target: `${SITE}/section/security` }, 'target is not a published article of this site'],
      [{ source: `${SITE}/2010/11/another`, target: TARGET }, 'source must be a page on another site'],
      [{ source: TARGET, target: TARGET }, 'source and target must be different pages'],
    ];
    const { queue, fetch } = siteWithMentionQueue();
    for (const [fields, reason] of cases) {
      const response = await postForm(fetch, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toBe(reason);
    }
    expect(queue.sent).toEqual([]);
    expect((await fetchPage('/webmention')).status).toBe(405);
  });

  it('accepts a mention from another site with 202 and queues its verification', async () => {
    const { queue, fetch } = siteWithMentionQueue();
    const source = `${WEB}accepted-${nextNumber()}`;
    const response = await postForm(fetch, { source, target: TARGET });
    expect(response.status).toBe(202);
    expect(queue.take()).toEqual([{ kind: 'receive', source, target: TARGET }]);
  });
});

describe('verification and moderation', () => {
  it('holds a verified mention for moderators, shows it once approved, updates it when sent again, and takes it down when the link goes', async () => {
    const { consume } = siteWithMentionQueue();
    const path = `/aiko/korea-${nextNumber()}`;
    const source = await publishPage(path, replyPage('A sharp read on the peninsula.'));
    expect((await consume([{ kind: 'receive', source, target: TARGET }])).explicitAcks).toHaveLength(1);

    const held = await mentionRow(source);
    expect(held).toMatchObject({
      author_name: 'Aiko Tanaka',
      status: 'pending',
      held_reason: 'a new Webmention',
      author_email: '',
    });
    expect(held!.body).toBe('A sharp read on the peninsula. See this analysis.');
    expect(await articleText()).not.toContain('A sharp read');

    const session = await signedInStaff('editor');
    const queuePage = visibleText(await (await session.get('/admin/comments?status=pending')).text());
    expect(queuePage).toContain(`Aiko Tanaka (Webmention from ${source}`);
    expect((await session.post('/admin/comments', { action: 'approve', ids: String(held!.id) })).status).toBe(303);
    expect(await articleText()).toContain('Aiko Tanaka mentioned this on 127.0.0.1');
    expect(await articleText()).toContain('A sharp read on the peninsula.');
    const [link] = (await elementsIn(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text(), '.comment-source a'))!;
    expect(link).toMatchObject({ href: source, rel: 'nofollow ugc noopener' });

    await publishPage(path, replyPage('A sharp read on the peninsula, and a second thought.'));
    await consume([{ kind: 'receive', source, target: TARGET }]);
    expect(await mentionRow(source)).toMatchObject({ id: held!.id, status: 'approved' });
    expect(await articleText()).toContain('and a second thought');

    await publishPage(path, replyPage('Changed my mind.', `${SITE}/2010/11/somewhere-else`));
    await consume([{ kind: 'receive', source, target: TARGET }]);
    expect(await mentionRow(source)).toMatchObject({ id: held!.id, status: 'deleted' });
    expect(await articleText()).not.toContain('a second thought');
  });

  it('takes down the mention of a source that is gone (410)', async () => {
    const { consume } = siteWithMentionQueue();
    const path = `/gone-${nextNumber()}`;
    const source = await publishPage(path, replyPage('Soon gone.'));
    await consume([{ kind: 'receive', source, target: TARGET }]);
    expect((await mentionRow(source))!.status).toBe('pending');
    await publishPage(path, 'Gone', { status: 410 });
    await consume([{ kind: 'receive', source, target: TARGET }]);
    expect((await mentionRow(source))!.status).toBe('deleted');
  });

  it('stores nothing from a page that does not link to the article, or only beyond the size bound', async () => {
    const { consume } = siteWithMentionQueue();
    const unrelated = await publishPage(`/unrelated-${nextNumber()}`, replyPage('No link here.', `${SITE}/elsewhere`));
    const padding = `<p>${'x'.repeat(MAX_PAGE_BYTES)}</p>`;
    const huge = await publishPage(
      `/huge-${nextNumber()}`,
      `<html><body>${padding}<a href="${TARGET}">late</a></body></html>`,
    );
    const result = await consume([unrelated, huge].map((source) => ({ kind: 'receive', source, target: TARGET })));
    expect(result.explicitAcks).toHaveLength(2);
    expect(await mentionRow(unrelated)).toBeNull();
    expect(await mentionRow(huge)).toBeNull();
  });

  it('names a page without microformats after its host, with its title as the text; relative links count', async () => {
    const { consume } = siteWithMentionQueue();
    const source = await publishPage(
      `/plain-${nextNumber()}`,
      `<html><head><title>Links for Tuesday</title></head><body><a href="${TARGET}#comments">read</a></body></html>`,
    );
    await consume([{ kind: 'receive', source, target: TARGET }]);
    expect(await mentionRow(source)).toMatchObject({ author_name: '127.0.0.1', body: 'Links for Tuesday' });
  });

  it('applies the word lists: held words hold it, spam words send it to spam', async () => {
    const { consume } = siteWithMentionQueue();
    const held = await publishPage(`/held-${nextNumber()}`, replyPage('Great casino tips.'));
    const spam = await publishPage(`/spam-${nextNumber()}`, replyPage('Cheap replica watches.'));
    await consume([held, spam].map((source) => ({ kind: 'receive', source, target: TARGET })));
    expect(await mentionRow(held)).toMatchObject({ status: 'pending', held_reason: 'held word: casino' });
    expect(await mentionRow(spam)).toMatchObject({ status: 'spam', held_reason: 'disallowed word: replica watches' });

    // Unlinking, then linking again with clean words, does not clear spam.
    const path = new URL(spam).pathname;
    await publishPage(path, replyPage('Nothing to see.', `${SITE}/elsewhere`));
    await consume([{ kind: 'receive', source: spam, target: TARGET }]);
    await publishPage(path, replyPage('A fine article.'));
    await consume([{ kind: 'receive', source: spam, target: TARGET }]);
    expect(await mentionRow(spam)).toMatchObject({ status: 'spam', held_reason: 'marked spam before' });
  });

  it('a blocked domain’s next mentions go straight to spam', async () => {
    const { consume } = siteWithMentionQueue();
    const first = await publishPage(`/first-${nextNumber()}`, replyPage('First post.'));
    await consume([{ kind: 'receive', source: first, target: TARGET }]);
    const session = await signedInStaff('editor');
    const { id } = (await mentionRow(first))!;
    const blocked = await session.post('/admin/comments/blocks', { block: `domain:${id}` });
    expect(blocked.status).toBe(303);
    expect(visibleText(await (await session.get('/admin/comments/blocks')).text())).toContain('Domain 127.0.0.1');

    const next = await publishPage(`/next-${nextNumber()}`, replyPage('Second post.'));
    await consume([{ kind: 'receive', source: next, target: TARGET }]);
    expect(await mentionRow(next)).toMatchObject({ status: 'spam', held_reason: 'blocked domain 127.0.0.1' });
    await env.DB.prepare("DELETE FROM comment_blocks WHERE kind = 'domain'").run();
  });

  it(`verifies at most ${MESSAGES_PER_INVOCATION} mentions an invocation and queues the rest again`, async () => {
    const { consume, queue } = siteWithMentionQueue();
    const sources = Array.from({ length: MESSAGES_PER_INVOCATION + 2 }, (_, i) => `${WEB}missing-${nextNumber()}-${i}`);
    const result = await consume(sources.map((source) => ({ kind: 'receive', source, target: TARGET })));
    expect(result.explicitAcks).toHaveLength(sources.length);
    expect(queue.take()).toEqual(
      sources.slice(MESSAGES_PER_INVOCATION).map((source) => ({ kind: 'receive', source, target: TARGET })),
    );
  });

  it('tries again later when the source’s site fails', async () => {
    const { consume } = siteWithMentionQueue();
    const source = await publishPage(`/down-${nextNumber()}`, 'Service Unavailable', { status: 503 });
    const result = await consume([{ kind: 'receive', source, target: TARGET }]);
    expect(result.retryDelays).toEqual([60]);
    expect(await mentionRow(source)).toBeNull();
  });
});
