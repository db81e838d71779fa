/**
 * The fediverse, end to end, against a real peer: the built Worker served in workerd on localhost, and
 * two small Fedify servers in Node (test/cli/fedify-peer.ts) on 127.0.0.1 and on 127.0.0.2, a domain
 * the site blocks. Fedify's own client functions find the site's actors and an article; the peer
 * follows the publication, gets a newly published article with a signature its Fedify verifies,
 * replies, and the reply waits in the moderation queue until a moderator approves it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDocumentLoader, signRequest } from '@fedify/fedify';
import {
  Accept,
  type Activity,
  Announce,
  Article,
  Create,
  Delete,
  Follow,
  Image,
  Like,
  lookupObject,
  Note,
  Organization,
  Person,
  PUBLIC_COLLECTION,
  Tombstone,
  Update,
} from '@fedify/vocab';
import { lookupWebFinger } from '@fedify/webfinger';
import fc from 'fast-check';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_SECRETS, migrateAndSeed, SAMPLE_ARTICLE, startLocalWorker } from '../../src/cli/local-worker.ts';
import { hashPassword } from '../../src/lib/password.ts';
import { type Peer, startPeer } from './fedify-peer.ts';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const WAIT = { timeout: 60_000, interval: 500 };
const moderator = { Authorization: `Bearer ${LOCAL_SECRETS.MODERATOR_TOKEN}` };

describe('the publication on the fediverse, with a Fedify peer', () => {
  let miniflare: Miniflare;
  let db: Awaited<ReturnType<typeof migrateAndSeed>>;
  let site: string;
  let host: string;
  let peer: Peer;
  let blocked: Peer;
  let publication: Organization;
  let article: Article;
  const realFetch = globalThis.fetch;
  // WebFinger's acct: lookups are https only; the site is served over http on localhost.
  const lookup = () => ({
    documentLoader: getDocumentLoader({ allowPrivateAddress: true }),
    allowPrivateAddress: true,
  });

  beforeAll(async () => {
    const port = await freePort();
    host = `localhost:${port}`;
    site = `http://${host}`;
    ({ miniflare } = await startLocalWorker({ ...LOCAL_SECRETS, SITE_URL: site }, { port }));
    db = await migrateAndSeed(miniflare);
    peer = await startPeer('127.0.0.1', 'Kenji Mori');
    blocked = await startPeer('127.0.0.2', 'Spam Bot');
    await db.prepare("INSERT INTO comment_blocks (kind, value) VALUES ('domain', '127.0.0.2')").run();
    globalThis.fetch = (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.protocol === 'https:' && url.host === host) url.protocol = 'http:';
      return realFetch(new Request(url, request));
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await miniflare?.dispose();
    await peer?.close();
    await blocked?.close();
  });

  /** The first activity of this type the peer's inbox accepted and `matches` picks. */
  const receivedBy = <T extends Activity>(
    of: Peer,
    type: new (...args: never[]) => T,
    matches: (activity: T) => boolean,
  ) =>
    vi.waitFor(() => {
      const found = of.received.find((activity): activity is T => activity instanceof type && matches(activity));
      if (!found) throw new Error(`no ${type.name} yet`);
      return found;
    }, WAIT);

  it('Fedify’s client finds the publication, an author and an article', async () => {
    const jrd = await lookupWebFinger(`acct:edgepress@${host}`, { allowPrivateAddress: true });
    expect(jrd?.links).toContainEqual(expect.objectContaining({ rel: 'self', href: `${site}/ap/actors/edgepress` }));

    const found = await lookupObject(`acct:edgepress@${host}`, lookup());
    expect(found).toBeInstanceOf(Organization);
    publication = found as Organization;
    expect(publication.name?.toString()).toBe('edgepress');
    const [icon, header] = await Promise.all([publication.getIcon(), publication.getImage()]);
    expect(icon?.url?.toString()).toBe(`${site}/logo.png`);
    expect(header?.url?.toString()).toBe(`${site}/share.jpg`);

    const author = await lookupObject(`@richard-weitz@${host}`, lookup());
    expect(author).toBeInstanceOf(Person);
    expect((author as Person).name?.toString()).toBe('Richard Weitz');

    // From the article's page: its <link rel="alternate" type="application/activity+json">.
    const sample = await lookupObject(`${site}${SAMPLE_ARTICLE.path}`, lookup());
    expect(sample).toBeInstanceOf(Article);
    article = sample as Article;
    expect(article.name?.toString()).toBe('Russia Eyes Korean Peninsula');
    expect(article.attributionId?.href).toBe(`${site}/ap/actors/richard-weitz`);
    const page = await (await fetch(`${site}${SAMPLE_ARTICLE.path}`)).text();
    expect(page).toContain(`<meta name="fediverse:creator" content="@richard-weitz@${host}"/>`);
    expect(article.url?.toString()).toBe(`${site}${SAMPLE_ARTICLE.path}`);
    const parts: unknown[] = [];
    for await (const each of article.getAttachments()) parts.push(each);
    for await (const each of article.getTags()) parts.push(each.name?.toString());
    expect(parts).toContainEqual(expect.any(Image));
    expect(parts).toContain('#SixPartyTalks');
  });

  it('WebFinger names the actors and nobody else; their documents carry inboxes, followers and one key each, kept in D1', async () => {
    const webfinger = (name: string) => fetch(`${site}/.well-known/webfinger?resource=acct:${name}@${host}`);
    expect((await webfinger('nobody-here')).status).toBe(404);
    const activityJson = (path: string) =>
      fetch(`${site}${path}`, { headers: { Accept: 'application/activity+json' } }).then(async (response) => ({
        status: response.status,
        body: response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined,
      }));
    expect((await activityJson('/ap/actors/edgepress')).body).toMatchObject({
      type: 'Organization',
      url: `${site}/`,
      inbox: `${site}/ap/actors/edgepress/inbox`,
      endpoints: { sharedInbox: `${site}/ap/inbox` },
      followers: `${site}/ap/actors/edgepress/followers`,
      publicKey: { owner: `${site}/ap/actors/edgepress`, publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') },
    });
    const first = (await activityJson('/ap/actors/richard-weitz')).body;
    expect(first).toMatchObject({
      type: 'Person',
      summary: expect.stringContaining('Russian foreign and defence policy'),
      url: `${site}/author/richard-weitz`,
    });
    const again = (await activityJson('/ap/actors/richard-weitz')).body;
    expect(again?.publicKey).toEqual(first?.publicKey);
    const keys = await db
      .prepare('SELECT count(*) AS n FROM fediverse_keys WHERE actor = ?')
      .bind('richard-weitz')
      .first<{ n: number }>();
    expect(keys?.n).toBe(1);
    expect((await activityJson('/ap/actors/nobody-here')).status).toBe(404);
    expect((await activityJson('/ap/actors/edgepress/followers')).body).toMatchObject({
      type: 'OrderedCollection',
      totalItems: 0,
    });
    const draft = await db.prepare("SELECT id FROM articles WHERE status = 'draft' LIMIT 1").first<{ id: number }>();
    expect((await activityJson(`/ap/articles/${draft?.id}`)).status).toBe(404);
  });

  it('NodeInfo is linked from /.well-known/nodeinfo and names edgepress, ActivityPub and its articles', async () => {
    const wellKnown = (await (await fetch(`${site}/.well-known/nodeinfo`)).json()) as {
      links: { rel: string; href: string }[];
    };
    const link = wellKnown.links.find((each) => each.rel.endsWith('/2.1'));
    expect(link?.href).toBe(`${site}/nodeinfo/2.1`);
    const info = (await (await fetch(link?.href ?? '')).json()) as { usage: { localPosts: number } };
    expect(info).toMatchObject({ software: { name: 'edgepress' }, protocols: ['activitypub'] });
    expect(info.usage.localPosts).toBeGreaterThan(0);
  });

  it('a follow is kept and accepted', async () => {
    const follow = new Follow({
      id: new URL('#follows/1', peer.actor),
      actor: peer.actor,
      object: publication.id,
    });
    await peer.context().sendActivity({ identifier: 'kenji' }, publication, follow);
    const accept = await receivedBy(peer, Accept, (each) => each.actorId?.href === publication.id?.href);
    expect(accept.objectId?.href).toBe(follow.id?.href);
    const row = await db
      .prepare('SELECT actor, handle, name FROM fediverse_followers WHERE follower_id = ?')
      .bind(peer.actor.href)
      .first();
    expect(row).toEqual({ actor: 'edgepress', handle: `@kenji@${new URL(peer.origin).host}`, name: 'Kenji Mori' });
  });

  let published: Article;
  let signIn: { cookie: string; csrf: string };
  const adminPost = (path: string, fields: Record<string, string>) =>
    fetch(`${site}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: site, Cookie: signIn.cookie },
      body: new URLSearchParams({ ...fields, csrf: signIn.csrf }),
    });

  it('an article published in the admin reaches the follower, signed by the publication', async () => {
    await db
      .prepare(
        "INSERT INTO editors (email, name, password_hash, role) VALUES ('desk@example.com', 'Desk', ?, 'editor')",
      )
      .bind(await hashPassword('correct horse battery staple'))
      .run();
    const signedIn = await fetch(`${site}/admin/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: site },
      body: new URLSearchParams({ email: 'desk@example.com', password: 'correct horse battery staple' }),
    });
    const token = /editor_session=([^;]+)/.exec(signedIn.headers.get('Set-Cookie') ?? '')?.[1] ?? '';
    const cookie = `editor_session=${token}`;
    // Every admin form carries the session's CSRF token, as the browser reads it from the page.
    const form = await (await fetch(`${site}/admin/articles/new`, { headers: { Cookie: cookie } })).text();
    signIn = { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '' };
    const ids = await db
      .prepare(
        "SELECT (SELECT id FROM authors WHERE slug = 'mina-park') AS author, (SELECT id FROM sections WHERE slug = 'economy') AS section",
      )
      .first<{ author: number; section: number }>();
    const saved = await adminPost('/admin/articles', {
      headline: 'Seoul Bets on Small Reactors',
      slug: '',
      standfirst: 'A new export push, and the money behind it.',
      body: 'The **first** paragraph.',
      heroImageUrl: '',
      heroImageAlt: '',
      heroImageCredit: '',
      authorId: String(ids?.author),
      sectionId: String(ids?.section),
      tags: 'Energy, South Korea',
    });
    expect(saved.status).toBe(303);
    const id = /\/admin\/articles\/(\d+)/.exec(saved.headers.get('Location') ?? '')?.[1];
    const edit = await (await fetch(`${site}/admin/articles/${id}`, { headers: { Cookie: signIn.cookie } })).text();
    const revision = /action="\/admin\/articles\/\d+\/publish">[\s\S]*?name="revision" value="(\d+)"/.exec(edit)?.[1];
    expect((await adminPost(`/admin/articles/${id}/publish`, { publishAt: '', revision: revision ?? '' })).status).toBe(
      303,
    );

    // The peer's Fedify let the Announce in only once the publication's signature verified.
    const announce = await receivedBy(peer, Announce, (each) => each.actorId?.href === publication.id?.href);
    const object = await announce.getObject(lookup());
    expect(object).toBeInstanceOf(Article);
    published = object as Article;
    expect(published.name?.toString()).toBe('Seoul Bets on Small Reactors');
    expect(published.summary?.toString()).toBe('A new export push, and the money behind it.');
    expect(published.url?.toString()).toMatch(/\/seoul-bets-on-small-reactors$/);
    const tags = [];
    for await (const tag of published.getTags(lookup())) tags.push(tag.name?.toString());
    expect(tags.sort()).toEqual(['#Energy', '#SouthKorea']);
  });

  it('a reply waits in the moderation queue under its author’s name and profile, then shows once approved', async () => {
    const note = new Note({
      id: new URL('/notes/1', peer.origin),
      attribution: peer.actor,
      to: PUBLIC_COLLECTION,
      replyTarget: published.id,
      content: '<p>Worth reading.</p><p>The reactor figures &amp; the export credit say it all.</p>',
    });
    await peer.context().sendActivity(
      { identifier: 'kenji' },
      publication,
      new Create({
        id: new URL('/notes/1#create', peer.origin),
        actor: peer.actor,
        to: PUBLIC_COLLECTION,
        object: note,
      }),
    );
    const held = await vi.waitFor(async () => {
      const { comments } = (await (
        await fetch(`${site}/api/moderation/comments?status=pending`, { headers: moderator })
      ).json()) as {
        comments: {
          id: number;
          sourceUrl: string | null;
          authorUrl: string | null;
          authorName: string;
          authorEmail: string;
          body: string;
          heldReason: string;
        }[];
      };
      const reply = comments.find((comment) => comment.sourceUrl === note.id?.href);
      if (!reply) throw new Error('not received yet');
      return reply;
    }, WAIT);
    expect(held).toMatchObject({
      authorName: 'Kenji Mori',
      authorUrl: `${peer.origin}/@kenji`,
      authorEmail: '',
      body: 'Worth reading.\n\nThe reactor figures & the export credit say it all.',
      heldReason: 'a new reply from the fediverse',
    });

    const approved = await fetch(`${site}/api/moderation/comments/${held.id}`, {
      method: 'POST',
      headers: { ...moderator, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(approved.status).toBe(200);
    await vi.waitFor(async () => {
      const page = await (await fetch(published.url?.toString() ?? '')).text();
      expect(page).toContain(`<a href="${peer.origin}/@kenji" rel="nofollow ugc noopener">Kenji Mori</a>`);
      expect(page).toContain('replied from the fediverse on');
    }, WAIT);
  });

  it('its author’s edit shows, marked edited; a Delete from another server is ignored; its author’s Delete takes it down', async () => {
    const noteId = new URL('/notes/1', peer.origin);
    await peer.context().sendActivity(
      { identifier: 'kenji' },
      publication,
      new Update({
        id: new URL('/notes/1#update', peer.origin),
        actor: peer.actor,
        to: PUBLIC_COLLECTION,
        object: new Note({
          id: noteId,
          attribution: peer.actor,
          to: PUBLIC_COLLECTION,
          replyTarget: published.id,
          content: '<p>Worth reading twice.</p>',
        }),
      }),
    );
    await vi.waitFor(async () => {
      const page = await (await fetch(published.url?.toString() ?? '')).text();
      expect(page).toContain('Worth reading twice.');
      expect(page).toContain('<span class="comment-edited"> · edited <time');
      expect(page).not.toContain('export credit say it all');
    }, WAIT);

    // Another server (signed by its own actor) cannot take down the peer's reply.
    await blocked
      .context()
      .sendActivity(
        { identifier: 'kenji' },
        publication,
        new Delete({ id: new URL('#deletes/1', blocked.actor), actor: blocked.actor, object: noteId }),
      );
    // Long enough for the queue to have handled it (as the blocked domain's test waits).
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await (await fetch(published.url?.toString() ?? '')).text()).toContain('Worth reading twice.');
    await peer.context().sendActivity(
      { identifier: 'kenji' },
      publication,
      new Delete({
        id: new URL('/notes/1#delete', peer.origin),
        actor: peer.actor,
        to: PUBLIC_COLLECTION,
        object: new Tombstone({ id: noteId }),
      }),
    );
    await vi.waitFor(async () => {
      const page = await (await fetch(published.url?.toString() ?? '')).text();
      expect(page).not.toContain('Worth reading twice.');
    }, WAIT);
    const row = await db
      .prepare('SELECT status, held_reason FROM comments WHERE source_url = ?')
      .bind(noteId.href)
      .first();
    expect(row).toEqual({ status: 'deleted', held_reason: 'deleted by its author on the fediverse' });
  });

  it('an unsigned or forged activity is refused with 401', async () => {
    const inbox = `${site}/ap/actors/edgepress/inbox`;
    const like = JSON.stringify(
      await new Like({ id: new URL('#likes/1', peer.actor), actor: peer.actor, object: published.id }).toJsonLd(),
    );
    for (const at of [inbox, `${site}/ap/inbox`]) {
      const unsigned = await fetch(at, {
        method: 'POST',
        headers: { 'Content-Type': 'application/activity+json' },
        body: like,
      });
      expect(unsigned.status, at).toBe(401);
    }

    // Signed with the peer's own key, then the body changed: the digest no longer matches.
    const signed = await signRequest(
      new Request(inbox, { method: 'POST', headers: { 'Content-Type': 'application/activity+json' }, body: like }),
      peer.keys.privateKey,
      new URL('#main-key', peer.actor),
    );
    const forged = await fetch(inbox, {
      method: 'POST',
      headers: signed.headers,
      body: like.replace('likes/1', 'likes/2'),
    });
    expect(forged.status).toBe(401);
  });

  it('a blocked domain’s follow and reply are dropped, while the peer’s like is counted', async () => {
    const context = blocked.context();
    await context.sendActivity(
      { identifier: 'kenji' },
      publication,
      new Follow({ id: new URL('#follows/1', blocked.actor), actor: blocked.actor, object: publication.id }),
    );
    const spam = new Note({
      id: new URL('/notes/1', blocked.origin),
      attribution: blocked.actor,
      to: PUBLIC_COLLECTION,
      replyTarget: published.id,
      content: '<p>Cheap watches!</p>',
    });
    await context.sendActivity(
      { identifier: 'kenji' },
      publication,
      new Create({ id: new URL('/notes/1#create', blocked.origin), actor: blocked.actor, object: spam }),
    );
    await peer
      .context()
      .sendActivity(
        { identifier: 'kenji' },
        publication,
        new Like({ id: new URL('#likes/3', peer.actor), actor: peer.actor, object: published.id }),
      );
    await vi.waitFor(async () => {
      const likes = await db
        .prepare("SELECT count(*) AS n FROM fediverse_reactions WHERE kind = 'like'")
        .first<{ n: number }>();
      expect(likes?.n).toBe(1);
    }, WAIT);
    // The queue's batch that counted the like is long done with the blocked domain's two activities.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const kept = await db
      .prepare(
        'SELECT (SELECT count(*) FROM fediverse_followers WHERE follower_id = ?1) AS followers, (SELECT count(*) FROM comments WHERE source_url = ?2) AS comments',
      )
      .bind(blocked.actor.href, spam.id?.href)
      .first();
    expect(kept).toEqual({ followers: 0, comments: 0 });
    expect(blocked.received).toEqual([]);
  });

  it('unpublishing sends a Delete of the article', async () => {
    const id = /\/ap\/articles\/(\d+)/.exec(published.id?.href ?? '')?.[1];
    expect((await adminPost(`/admin/articles/${id}/unpublish`, {})).status).toBe(303);
    const deleted = await receivedBy(peer, Delete, (each) => each.objectId?.href === published.id?.href);
    expect(deleted.actorId?.href).toBe(`${site}/ap/actors/mina-park`);
  });

  // test/app/fuzz.slow.test.ts fuzzes every other address inside workerd, where Fedify cannot load.
  it('the fediverse’s addresses answer malformed requests without a 5xx, and a refused one changes nothing', async () => {
    const counted = () =>
      db
        .prepare(
          `SELECT (SELECT count(*) FROM fediverse_followers) || ',' || (SELECT count(*) FROM fediverse_reactions)
             || ',' || (SELECT count(*) FROM comments) AS counts`,
        )
        .first<{ counts: string }>();
    const activity = fc.record({
      '@context': fc.constantFrom('https://www.w3.org/ns/activitystreams', 'https://example.com/ns', undefined),
      id: fc.oneof(fc.webUrl(), fc.string()),
      type: fc.constantFrom('Follow', 'Undo', 'Create', 'Update', 'Delete', 'Like', 'Announce', 'Note', 'Bogus'),
      actor: fc.oneof(fc.constant(peer.actor.href), fc.webUrl(), fc.string()),
      object: fc.oneof(fc.constant(`${site}/ap/actors/edgepress`), fc.webUrl(), fc.json()),
    });
    const request = fc.record({
      method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
      path: fc.oneof(
        fc.constantFrom(
          '/ap',
          '/ap/inbox',
          '/ap/actors/edgepress',
          '/ap/actors/edgepress/inbox',
          '/ap/actors/edgepress/followers',
          '/ap/actors/edgepress/outbox',
          '/ap/actors/mina-park',
          '/ap/actors/nobody',
          '/ap/articles/1',
          '/ap/articles/999999',
          '/.well-known/webfinger',
          '/.well-known/nodeinfo',
          '/nodeinfo/2.1',
        ),
        fc.webPath().map((path) => `/ap${path}`),
      ),
      resource: fc.option(fc.oneof(fc.constant(`acct:edgepress@${host}`), fc.string({ maxLength: 80 })), {
        nil: undefined,
      }),
      accept: fc.constantFrom('application/activity+json', 'application/ld+json', 'text/html', '*/*', 'x/y'),
      contentType: fc.constantFrom('application/activity+json', 'application/json', 'text/plain'),
      signature: fc.option(fc.oneof(fc.string({ maxLength: 200 }), fc.constant('keyId="x",signature="AAAA"')), {
        nil: undefined,
      }),
      body: fc.oneof(
        activity.map((each) => JSON.stringify(each)),
        fc.json(),
        fc.string({ maxLength: 2_000 }),
      ),
    });
    // Found by this fuzz: a PUT to the shared inbox had Fedify fetch the body's JSON-LD context (a 500).
    const put = await realFetch(`${site}/ap/inbox`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/activity+json' },
      body: JSON.stringify({ '@context': 'https://example.com/ns', type: 'Follow' }),
    });
    expect(put.status).toBe(405);
    // And a POST whose context cannot be fetched is the sender's error, before any signature is checked.
    const post = await realFetch(`${site}/ap/actors/edgepress/inbox`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/activity+json' },
      body: JSON.stringify({ '@context': 'https://example.com/ns', type: 'Follow' }),
    });
    expect(post.status).toBeLessThan(500);
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const url = new URL(generated.path, site);
        if (generated.resource !== undefined) url.searchParams.set('resource', generated.resource);
        const headers = new Headers({ Accept: generated.accept });
        const withBody = !['GET', 'HEAD'].includes(generated.method);
        if (withBody) headers.set('Content-Type', generated.contentType);
        if (generated.signature !== undefined) headers.set('Signature', generated.signature);
        const before = await counted();
        const response = await realFetch(url, {
          method: generated.method,
          headers,
          body: withBody ? generated.body : undefined,
          redirect: 'manual',
        });
        await response.arrayBuffer();
        const what = `${generated.method} ${url.pathname}${url.search} → ${response.status}`;
        expect(response.status, what).toBeLessThan(500);
        if (response.status >= 400) expect(await counted(), what).toEqual(before);
      }),
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  });
});
