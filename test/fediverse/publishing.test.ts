import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { primaryDb } from '../../src/db/client';
import { noteText } from '../../src/fediverse/note-text';
import { federatedArticle } from '../../src/fediverse/queries';
import { articleFields, createArticle, publishFromPage, signedInStaff } from '../support/admin-helpers';
import { fetchPageWith } from '../support/helpers';
import { RecordedQueue } from '../support/production';

const site = () => {
  const activities = new RecordedQueue(env.TEST_FEDIVERSE_QUEUE);
  return { activities, fetch: fetchPageWith({ FEDIVERSE_QUEUE: activities.binding() }) };
};

const changes = (queue: RecordedQueue) =>
  queue.take().map((body) => {
    const { change, author } = body as { change: string; author: string };
    return { change, author };
  });

/** Someone on the fediverse follows `actor` (the publication's handle or an author's slug). */
const followedBy = (actor: string, follower: string) =>
  env.DB.prepare('INSERT OR IGNORE INTO fediverse_followers (actor, follower_id, inbox, handle) VALUES (?, ?, ?, ?)')
    .bind(
      actor,
      `https://social.example/users/${follower}`,
      `https://social.example/users/${follower}/inbox`,
      `@${follower}@social.example`,
    )
    .run();

describe('publishing tells the fediverse', () => {
  it('publishing while no one follows the publication or the author queues nothing', async () => {
    const { activities, fetch } = site();
    await env.DB.prepare('DELETE FROM fediverse_followers').run();
    const session = await signedInStaff('editor', fetch);
    const id = await createArticle(session);
    expect((await publishFromPage(session, id)).status).toBe(303);
    expect((await session.post(`/admin/articles/${id}/unpublish`)).status).toBe(303);
    expect(activities.sent).toEqual([]);
  });

  it('a draft sends nothing; publishing queues a Create, a save an Update, unpublishing a Delete', async () => {
    const { activities, fetch } = site();
    await followedBy('edgepress', 'aiko');
    const session = await signedInStaff('editor', fetch);
    const id = await createArticle(session);
    expect(activities.sent).toEqual([]);

    expect((await publishFromPage(session, id)).status).toBe(303);
    const [create] = activities.sent;
    expect(create?.delaySeconds).toBe(0);
    expect(changes(activities)).toEqual([{ change: 'create', author: 'mina-park' }]);

    const form = await (await session.get(`/admin/articles/${id}`)).text();
    const revision = /name="revision" value="(\d+)"/.exec(form)?.[1] ?? '';
    const saved = await session.post(`/admin/articles/${id}`, {
      ...(await articleFields({ headline: 'Shipping Lanes, Revised' }, id)),
      revision,
    });
    expect(saved.status).toBe(303);
    const [update] = activities.sent;
    // The update waits for the page cache's old copies to go (STALENESS_BOUND_SECONDS).
    expect(update?.delaySeconds).toBe(30);
    expect(changes(activities)).toEqual([{ change: 'update', author: 'mina-park' }]);

    expect((await session.post(`/admin/articles/${id}/unpublish`)).status).toBe(303);
    expect(changes(activities)).toEqual([{ change: 'delete', author: 'mina-park' }]);

    // Deleting the draft it now is tells nobody: its followers were told when it was unpublished.
    expect((await session.post(`/admin/articles/${id}/delete`)).status).toBe(303);
    expect(activities.sent).toEqual([]);
  });

  it('deleting a published article queues its Delete to its author’s followers', async () => {
    const { activities, fetch } = site();
    await env.DB.prepare('DELETE FROM fediverse_followers').run();
    await followedBy('mina-park', 'li');
    const session = await signedInStaff('editor', fetch);
    const id = await createArticle(session);
    await publishFromPage(session, id);
    activities.take();
    expect((await session.post(`/admin/articles/${id}/delete`)).status).toBe(303);
    expect(changes(activities)).toEqual([{ change: 'delete', author: 'mina-park' }]);
  });
});

describe('the admin’s Fediverse page', () => {
  it('lists followers and each article’s likes and boosts to editors, not to contributors', async () => {
    const article = await env.DB.prepare("SELECT id FROM articles WHERE slug = 'russia-eyes-korean-peninsula'").first<{
      id: number;
    }>();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO fediverse_followers (actor, follower_id, inbox, handle, name, url) VALUES ('edgepress', 'https://social.example/users/aiko', 'https://social.example/users/aiko/inbox', '@aiko@social.example', 'Aiko Tanaka', 'https://social.example/@aiko')",
      ),
      ...['https://social.example/users/aiko', 'https://other.example/users/li'].map((actor) =>
        env.DB.prepare("INSERT INTO fediverse_reactions (article_id, kind, actor_id) VALUES (?, 'like', ?)").bind(
          article?.id,
          actor,
        ),
      ),
      env.DB.prepare(
        "INSERT INTO fediverse_reactions (article_id, kind, actor_id) VALUES (?, 'announce', 'https://other.example/users/li')",
      ).bind(article?.id),
    ]);
    const editor = await signedInStaff('editor');
    const page = await (await editor.get('/admin/fediverse')).text();
    expect(page).toContain('<a href="https://social.example/@aiko" rel="noopener">Aiko Tanaka</a>');
    expect(page).toContain('@aiko@social.example');
    expect(page).toMatch(/Russia Eyes Korean Peninsula<\/a>[\s\S]*?<td>2<\/td>\s*<td>1<\/td>/);

    const contributor = await signedInStaff('contributor');
    expect((await contributor.get('/admin/fediverse')).status).toBe(403);
  });
});

describe('a reply’s text', () => {
  it('keeps Mastodon’s paragraphs and line breaks, drops the markup and decodes references', () => {
    expect(
      noteText(
        '<p><span class="h-card"><a href="https://site.example/ap/actors/edgepress" class="u-url mention">@<span>edgepress</span></a></span> Worth it &amp; more.</p><p>Line one<br />line two &#8212; &lt;b&gt;</p>',
      ),
    ).toBe('@edgepress Worth it & more.\n\nLine one\nline two — <b>');
  });
});

describe('an article for paid members, as the fediverse fetches it', () => {
  it('carries its teaser, never the paid part', async () => {
    const paid = 'Indeed, it’s the economic realm';
    const article = await env.DB.prepare(
      "SELECT id, body_html AS body FROM articles WHERE slug = 'russia-eyes-korean-peninsula'",
    ).first<{ id: number; body: string }>();
    expect(article?.body).toContain(paid);
    await env.DB.prepare("UPDATE articles SET access = 'paid', teaser_html = ? WHERE id = ?")
      .bind('<p>The first paragraph.</p>', article?.id)
      .run();
    const federated = await federatedArticle(primaryDb(env), article?.id ?? 0);
    expect(federated?.bodyHtml).toBe('<p>The first paragraph.</p>');
    expect(JSON.stringify(federated)).not.toContain(paid);
  });
});
