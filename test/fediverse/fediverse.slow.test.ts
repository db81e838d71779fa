import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clearPageCache, elementsIn, fetchPage, ORIGIN, SAMPLE_ARTICLE_PATH } from '../support/helpers';

const ACTIVITY_JSON = { Accept: 'application/activity+json' };
const HOST = new URL(ORIGIN).host;

async function json(path: string, init?: RequestInit) {
  const response = await fetchPage(path, init);
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown> & { links?: { rel: string; href: string }[] };
}

describe('WebFinger', () => {
  it('finds the publication by its handle, the site name’s slug', async () => {
    const found = await json(`/.well-known/webfinger?resource=acct:edgepress@${HOST}`);
    expect(found.subject).toBe(`acct:edgepress@${HOST}`);
    expect(found.links).toContainEqual(
      expect.objectContaining({
        rel: 'self',
        type: 'application/activity+json',
        href: `${ORIGIN}/ap/actors/edgepress`,
      }),
    );
  });

  it('finds an author by their slug, and nobody else', async () => {
    const found = await json(`/.well-known/webfinger?resource=acct:richard-weitz@${HOST}`);
    expect(found.links).toContainEqual(expect.objectContaining({ href: `${ORIGIN}/ap/actors/richard-weitz` }));
    const nobody = await fetchPage(`/.well-known/webfinger?resource=acct:nobody-here@${HOST}`);
    expect(nobody.status).toBe(404);
  });
});

describe('the actors', () => {
  it('the publication is an Organization with an inbox, a shared inbox, followers and an RSA key', async () => {
    const actor = await json('/ap/actors/edgepress', { headers: ACTIVITY_JSON });
    expect(actor).toMatchObject({
      type: 'Organization',
      id: `${ORIGIN}/ap/actors/edgepress`,
      preferredUsername: 'edgepress',
      name: 'edgepress',
      url: `${ORIGIN}/`,
      inbox: `${ORIGIN}/ap/actors/edgepress/inbox`,
      endpoints: { sharedInbox: `${ORIGIN}/ap/inbox` },
      followers: `${ORIGIN}/ap/actors/edgepress/followers`,
      publicKey: { owner: `${ORIGIN}/ap/actors/edgepress`, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
  });

  it('an author is a Person with their bio, their page and the same key every time (kept in D1, made once)', async () => {
    const first = await json('/ap/actors/richard-weitz', { headers: ACTIVITY_JSON });
    expect(first).toMatchObject({
      type: 'Person',
      name: 'Richard Weitz',
      summary: expect.stringContaining('Russian foreign and defence policy'),
      url: `${ORIGIN}/author/richard-weitz`,
    });
    const again = await json('/ap/actors/richard-weitz', { headers: ACTIVITY_JSON });
    expect((again.publicKey as { publicKeyPem: string }).publicKeyPem).toBe(
      (first.publicKey as { publicKeyPem: string }).publicKeyPem,
    );
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM fediverse_keys WHERE actor = ?')
      .bind('richard-weitz')
      .first<{ n: number }>();
    expect(stored?.n).toBe(1);
  });

  it('an unknown actor is the site’s 404', async () => {
    const response = await fetchPage('/ap/actors/nobody-here', { headers: ACTIVITY_JSON });
    expect(response.status).toBe(404);
  });

  it('the followers collection counts followers', async () => {
    const followers = await json('/ap/actors/edgepress/followers', { headers: ACTIVITY_JSON });
    expect(followers).toMatchObject({ type: 'OrderedCollection', totalItems: 0 });
  });
});

describe('NodeInfo', () => {
  it('is linked from /.well-known/nodeinfo and names edgepress, ActivityPub and its articles', async () => {
    const wellKnown = await json('/.well-known/nodeinfo');
    const link = wellKnown.links?.find((each) => each.rel.endsWith('/2.1'));
    expect(link?.href).toBe(`${ORIGIN}/nodeinfo/2.1`);
    const info = await json('/nodeinfo/2.1');
    expect(info).toMatchObject({
      software: { name: 'edgepress' },
      protocols: ['activitypub'],
      usage: { users: { total: expect.any(Number) }, localPosts: expect.any(Number) },
    });
    expect((info.usage as { localPosts: number }).localPosts).toBeGreaterThan(0);
  });
});

describe('an article', () => {
  it('names its author’s handle and its ActivityPub object, which is an Article with its headline and tags', async () => {
    await clearPageCache();
    const page = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(await elementsIn(page, 'meta[name="fediverse:creator"]')).toEqual([
      { name: 'fediverse:creator', content: `@richard-weitz@${HOST}` },
    ]);
    const [alternate] = await elementsIn(page, 'link[type="application/activity+json"]');
    const object = await json(new URL(alternate?.href ?? '').pathname, { headers: ACTIVITY_JSON });
    expect(object).toMatchObject({
      type: 'Article',
      name: 'Russia Eyes Korean Peninsula',
      url: `${ORIGIN}${SAMPLE_ARTICLE_PATH}`,
      attributedTo: `${ORIGIN}/ap/actors/richard-weitz`,
      attachment: { type: 'Image', mediaType: 'image/jpeg', url: expect.stringMatching(/\/share\.jpg$/) },
    });
    expect(object.tag).toContainEqual(expect.objectContaining({ type: 'Hashtag', name: '#SixPartyTalks' }));
  });

  it('a draft is no object', async () => {
    const draft = await env.DB.prepare("SELECT id FROM articles WHERE status = 'draft' LIMIT 1").first<{
      id: number;
    }>();
    const response = await fetchPage(`/ap/articles/${draft?.id}`, { headers: ACTIVITY_JSON });
    expect(response.status).toBe(404);
  });
});

describe('the inbox', () => {
  const follow = JSON.stringify({
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: 'https://mastodon.example/follows/1',
    type: 'Follow',
    actor: 'https://mastodon.example/users/kenji',
    object: `${ORIGIN}/ap/actors/edgepress`,
  });

  it('refuses an unsigned activity with 401 and keeps nothing', async () => {
    for (const path of ['/ap/actors/edgepress/inbox', '/ap/inbox']) {
      const response = await fetchPage(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/activity+json' },
        body: follow,
      });
      expect(response.status, path).toBe(401);
    }
    const kept = await env.DB.prepare('SELECT count(*) AS n FROM fediverse_followers').first<{ n: number }>();
    expect(kept?.n).toBe(0);
  });

  it('refuses a signature that does not verify (a made-up key on an unreachable server) with 401', async () => {
    const response = await fetchPage('/ap/actors/edgepress/inbox', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/activity+json',
        Date: new Date().toUTCString(),
        Signature:
          'keyId="https://mastodon.example/users/kenji#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="Zm9yZ2Vk"',
      },
      body: follow,
    });
    expect(response.status).toBe(401);
  });
});
