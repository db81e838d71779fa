import { describe, expect, it } from 'vitest';
import { STALENESS_BOUND_SECONDS } from '../../src/page-cache/purge-queue';
import { discoverEndpoint, linkHeaderEndpoint } from '../../src/webmention/discovery';
import rocks from '../fixtures/webmention-rocks-discovery.json';
import { createArticle, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { nextNumber } from '../support/unique';
import { publishPage, receivedAt, SITE, siteWithMentionQueue, WEB } from './web-helpers';

const ROCKS_TESTS = rocks.tests.map((test) => test.num);

describe('endpoint discovery', () => {
  it.each(ROCKS_TESTS)('finds the right endpoint of webmention.rocks discovery test #%i', async (num) => {
    const expected = num === 15 ? `${WEB}test/15` : `${WEB}test/${num}/webmention`;
    expect(await discoverEndpoint(`${WEB}test/${num}`)).toBe(expected);
  });

  it('resolves a relative endpoint against the page it was redirected to, and keeps its query', async () => {
    const moved = await publishPage(`/moved-${nextNumber()}`, '', {
      status: 301,
      headers: { Location: '/posts/new-home' },
    });
    await publishPage('/posts/new-home', '<html><head><link rel="webmention" href="endpoint?version=2"></head></html>');
    expect(await discoverEndpoint(moved)).toBe(`${WEB}posts/endpoint?version=2`);
  });

  it('finds none on a page without one, or one that is not there', async () => {
    expect(await discoverEndpoint(await publishPage(`/quiet-${nextNumber()}`, '<p><a href="/x">x</a></p>'))).toBeNull();
    expect(await discoverEndpoint(`${WEB}nothing-here-${nextNumber()}`)).toBeNull();
  });

  it('reads Link headers by their rel only', () => {
    expect(
      linkHeaderEndpoint('<https://a.example/wm>; rel="not-webmention", <https://b.example/wm>; rel=webmention'),
    ).toBe('https://b.example/wm');
    expect(linkHeaderEndpoint('<https://a.example/style.css>; rel=stylesheet')).toBeUndefined();
  });
});

describe('publishing sends Webmentions', () => {
  it('to each other site’s page the article links to, once the article is out, at the endpoint each names', async () => {
    const { queue, fetch, consume } = siteWithMentionQueue();
    const session = await signedInStaff('administrator', fetch);
    const quiet = await publishPage(`/quiet-${nextNumber()}`, '<p>No endpoint here.</p>');
    const body = [
      `Discovery [by header](${WEB}test/1), [by an a tag](${WEB}test/12#section) and [again](${WEB}test/1).`,
      `A page [without an endpoint](${quiet}), and [one of ours](/2010/11/russia-eyes-korean-peninsula).`,
    ].join('\n\n');
    const id = await createArticle(session, { body });
    expect(queue.sent).toEqual([]); // a draft sends nothing

    expect((await publishFromPage(session, id)).status).toBe(303);
    const sent = queue.sent.splice(0);
    const source = (sent[0]!.body as { source: string }).source;
    expect(source).toMatch(new RegExp(`^${SITE}/\\d{4}/\\d{2}/shipping-lanes-under-watch-\\d+$`));
    expect(sent.map(({ body }) => (body as { target: string }).target)).toEqual([
      `${WEB}test/1`,
      `${WEB}test/12`,
      quiet,
    ]);
    for (const { delaySeconds } of sent) expect(delaySeconds).toBeGreaterThanOrEqual(STALENESS_BOUND_SECONDS);

    // The queue hands them over once due.
    const due = sent.map(({ body }) => ({ ...(body as object), notBefore: Date.now() }));
    expect((await consume(due)).explicitAcks).toHaveLength(3);
    for (const num of [1, 12]) {
      expect(await receivedAt(`/test/${num}/webmention`)).toContainEqual({
        path: `/test/${num}/webmention`,
        source,
        target: `${WEB}test/${num}`,
        contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      });
    }
    expect(await receivedAt('/test/12/webmention/error')).toEqual([]);
  });

  it('not before the article is out: an early message goes back on the queue until its time', async () => {
    const { consume, queue } = siteWithMentionQueue();
    const notBefore = Date.now() + 3600_000;
    const message = {
      kind: 'send',
      source: `${SITE}/2010/11/russia-eyes-korean-peninsula`,
      target: `${WEB}test/2`,
      notBefore,
    };
    expect((await consume([message])).explicitAcks).toHaveLength(1);
    expect(queue.sent).toEqual([{ body: message, delaySeconds: 3600 }]);
    expect(await receivedAt('/test/2/webmention')).toEqual([]);
  });

  it('never from an article that is no longer out', async () => {
    const { consume } = siteWithMentionQueue();
    await consume([{ kind: 'send', source: `${SITE}/2010/11/no-such-article`, target: `${WEB}test/3` }]);
    expect(await receivedAt('/test/3/webmention')).toEqual([]);
  });
});
