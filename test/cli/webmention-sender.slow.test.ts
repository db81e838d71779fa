/**
 * A Webmention from another site, end to end: a page on a local server links to the sample article;
 * @remy/webmention (a sender others use) reads that page, discovers the article's endpoint and sends
 * the mention to the built Worker served in workerd; the Worker's queue verifies it; a moderator
 * approves it through the moderation API; the article shows it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Webmention, { type SentWebmention } from '@remy/webmention';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_SECRETS, migrateAndSeed, SAMPLE_ARTICLE, startLocalWorker } from '../../src/cli/local-worker.ts';

const listen = async (server: Server, port = 0) => {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** A port free on 127.0.0.1 now: the site's address (SITE_URL) must be known before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Sends the Webmentions of `source`'s links as the library's CLI does (`webmention <url> --send`). */
function sendWebmentions(source: string): Promise<SentWebmention[]> {
  return new Promise((resolve, reject) => {
    const sent: SentWebmention[] = [];
    const sender = new Webmention({ limit: 10, send: true });
    sender.on('sent', (mention: SentWebmention) => sent.push(mention));
    sender.on('error', reject);
    sender.on('end', () => resolve(sent));
    sender.fetch(source);
  });
}

describe('a Webmention sent by @remy/webmention', () => {
  let miniflare: Miniflare;
  let site: string;
  const blog = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><title>Notes from Osaka</title></head><body>
<article class="h-entry">
  <a class="p-author h-card" href="/">Kenji Mori</a>
  <h1 class="p-name">On the peninsula</h1>
  <div class="e-content"><p>Worth reading: <a href="${site}${SAMPLE_ARTICLE.path}">Russia eyes the Korean peninsula</a>.</p></div>
</article></body></html>`);
  });

  beforeAll(async () => {
    const port = await freePort();
    site = `http://localhost:${port}`;
    ({ miniflare } = await startLocalWorker({ ...LOCAL_SECRETS, SITE_URL: site }, { port }));
    await migrateAndSeed(miniflare);
    await listen(blog);
  });
  afterAll(async () => {
    await miniflare?.dispose();
    blog.close();
  });

  it('is verified, held, approved and shown under the article', async () => {
    const source = `http://127.0.0.1:${(blog.address() as AddressInfo).port}/notes/peninsula`;
    const sent = await sendWebmentions(source);
    expect(sent).toMatchObject([
      {
        source,
        target: `${site}${SAMPLE_ARTICLE.path}`,
        endpoint: { url: `${site}/webmention`, type: 'webmention' },
        status: 202,
      },
    ]);

    const moderator = { Authorization: `Bearer ${LOCAL_SECRETS.MODERATOR_TOKEN}` };
    const held = await vi.waitFor(
      async () => {
        const { comments } = (await (
          await fetch(`${site}/api/moderation/comments?status=pending`, { headers: moderator })
        ).json()) as {
          comments: { id: number; sourceUrl: string | null; authorName: string; body: string }[];
        };
        const mention = comments.find((comment) => comment.sourceUrl === source);
        if (!mention) throw new Error('not verified yet');
        return mention;
      },
      { timeout: 30_000, interval: 500 },
    );
    expect(held).toMatchObject({ authorName: 'Kenji Mori', body: 'Worth reading: Russia eyes the Korean peninsula.' });

    const approved = await fetch(`${site}/api/moderation/comments/${held.id}`, {
      method: 'POST',
      headers: { ...moderator, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(approved.status).toBe(200);
    await vi.waitFor(
      async () => {
        const page = await (await fetch(`${site}${SAMPLE_ARTICLE.path}`)).text();
        expect(page).toContain('Kenji Mori');
        expect(page).toMatch(/mentioned this on\s*<a href="http:\/\/127\.0\.0\.1:\d+\/notes\/peninsula"/);
      },
      { timeout: 60_000, interval: 1000 },
    );
  });
});
