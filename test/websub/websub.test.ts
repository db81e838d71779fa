import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { STALENESS_BOUND_SECONDS } from '../../src/page-cache/purge-queue';
import { PINGS_PER_INVOCATION, pingHubBatch } from '../../src/websub/hub';
import { createArticle, publishFromPage, signedInStaff } from '../support/admin-helpers';
import type { ReceivedPing } from '../support/fake-hub';
import { clearPageCache, fetchPage, fetchPageWith } from '../support/helpers';
import { consumeBatch, RecordedQueue } from '../support/production';
import { nextNumber } from '../support/unique';

const HUB = inject('fakeHubUrl');
const SITE = 'http://localhost:8787';
const FEEDS = ['feed.xml', 'atom.xml', 'feed.json'];

/** The site with the stand-in hub configured and its WebSub pings recorded (a queue without a consumer). */
function siteWithHub() {
  const pings = new RecordedQueue(env.TEST_WEBSUB_QUEUE);
  const hubEnv = { ...env, WEBSUB_HUB: HUB, WEBSUB_QUEUE: pings.binding() } as Env;
  return { pings, hubEnv, fetch: fetchPageWith(hubEnv) };
}

const pingsFor = async (topic: string): Promise<ReceivedPing[]> =>
  (await fetch(`${HUB}_fake/pings?topic=${encodeURIComponent(topic)}`)).json();

/** Hands these ping messages to the Worker's WebSub consumer in one batch. */
const consume = (hubEnv: Env, bodies: unknown[]) =>
  consumeBatch('edgepress-websub-local', pingHubBatch, hubEnv, bodies);

// A page cached with the hub named (or not) keeps saying so until purged: each test starts from an empty cache.
beforeEach(clearPageCache);

describe('feeds name the hub', () => {
  it('in each format and in Link headers, for the site and a listing, cached or not', async () => {
    const { fetch } = siteWithHub();
    for (const path of ['', '/tag/japan', '/section/security', '/author/mina-park']) {
      for (const file of FEEDS) {
        for (const attempt of [1, 2]) {
          const response = await fetch(`${path}/${file}`);
          expect(response.status, `${path}/${file} #${attempt}`).toBe(200);
          const self = `${SITE}${path}/${file}`;
          expect(response.headers.get('Link')).toBe(`<${HUB}>; rel="hub", <${self}>; rel="self"`);
          const body = await response.text();
          if (file === 'feed.json') expect(JSON.parse(body).hubs).toEqual([{ type: 'WebSub', url: HUB }]);
          else expect(body).toMatch(new RegExp(`<(atom:)?link (href="${HUB}" rel="hub"|rel="hub" href="${HUB}")/>`));
        }
      }
    }
  });

  it('not at all without a hub', async () => {
    for (const file of FEEDS) {
      const response = await fetchPage(`/${file}`);
      expect(response.headers.get('Link')).toBeNull();
      expect(await response.text()).not.toMatch(/rel="hub"|"hubs"/);
    }
  });
});

describe('publishing pings the hub', () => {
  it('for every feed the article is in, once its cached copies are gone; again when it is unpublished', async () => {
    const { pings, hubEnv, fetch } = siteWithHub();
    const session = await signedInStaff('administrator', fetch);
    const tag = `websub-${nextNumber()}`;
    const id = await createArticle(session, { tags: tag });
    expect(pings.sent).toEqual([]); // a draft is in no feed
    expect((await publishFromPage(session, id)).status).toBe(303);

    const listings = ['', '/section/security', '/author/mina-park', `/tag/${tag}`];
    const topics = listings.flatMap((path) => FEEDS.map((file) => `${SITE}${path}/${file}`));
    expect(pings.sent.map(({ body }) => (body as { topic: string }).topic).sort()).toEqual([...topics].sort());
    for (const { delaySeconds } of pings.sent) expect(delaySeconds).toBeGreaterThanOrEqual(STALENESS_BOUND_SECONDS);

    const tagFeed = `${SITE}/tag/${tag}/feed.json`;
    const result = await consume(hubEnv, pings.take());
    expect(result.explicitAcks).toHaveLength(topics.length);
    expect(await pingsFor(tagFeed)).toEqual([
      { topic: tagFeed, contentType: 'application/x-www-form-urlencoded;charset=UTF-8' },
    ]);

    expect((await session.post(`/admin/articles/${id}/unpublish`)).status).toBe(303);
    await consume(hubEnv, pings.take());
    expect(await pingsFor(tagFeed)).toHaveLength(2);
  });

  it('nothing is queued without a hub', async () => {
    const pings = new RecordedQueue(env.TEST_WEBSUB_QUEUE);
    const session = await signedInStaff('administrator', fetchPageWith({ WEBSUB_QUEUE: pings.binding() }));
    expect((await publishFromPage(session, await createArticle(session))).status).toBe(303);
    expect(pings.sent).toEqual([]);
  });
});

describe('the ping consumer', () => {
  it(`sends at most ${PINGS_PER_INVOCATION} pings an invocation, one per feed, and queues the rest again`, async () => {
    const { pings, hubEnv } = siteWithHub();
    const run = nextNumber();
    const topics = Array.from({ length: 60 }, (_, i) => `${SITE}/tag/bound-${run}-${i}/feed.xml`);
    await consume(
      hubEnv,
      [...topics, topics[0]].map((topic) => ({ topic })),
    );
    const received = await Promise.all(topics.map(pingsFor));
    expect(received.filter((list) => list.length > 0)).toHaveLength(PINGS_PER_INVOCATION);
    expect(received.every((list) => list.length <= 1)).toBe(true);
    expect(pings.take()).toEqual(topics.slice(PINGS_PER_INVOCATION).map((topic) => ({ topic })));
  });

  it('retries a ping the hub refused, later each time', async () => {
    const { hubEnv } = siteWithHub();
    await fetch(`${HUB}_fake/fail`, { method: 'POST', body: JSON.stringify({ status: 503, times: 1 }) });
    const topic = `${SITE}/tag/refused-${nextNumber()}/atom.xml`;
    const result = await consume(hubEnv, [{ topic }]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryDelays).toEqual([30]);
    expect(await pingsFor(topic)).toEqual([]);
    expect((await consume(hubEnv, [{ topic }])).explicitAcks).toHaveLength(1);
    expect(await pingsFor(topic)).toHaveLength(1);
  });
});
