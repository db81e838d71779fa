import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { loadArticlePage } from '../../src/db/article-page';
import { createDb } from '../../src/db/client';

const SLUG = 'asean-defence-ministers-hanoi';
const db = createDb(env.DB);
const at = (minute: number) => Date.UTC(2010, 9, 20, 12, minute);

async function addComment(fields: {
  name: string;
  status?: string;
  minute: number;
  parent?: number;
  root?: number;
  depth?: number;
  articleSlug?: string;
}) {
  const row = await env.DB.prepare(
    `INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status, created_at)
     SELECT id, ?, ?, ?, ?, 'hidden@example.com', ?, ?, ?, ? FROM articles WHERE slug = ? RETURNING id`,
  )
    .bind(
      fields.parent ?? null,
      fields.root ?? null,
      fields.depth ?? 0,
      fields.name,
      `Text of ${fields.name}`,
      `hash-${fields.name}`,
      fields.status ?? 'approved',
      at(fields.minute),
      fields.articleSlug ?? SLUG,
    )
    .first<{ id: number }>();
  return row!.id;
}

describe('the article page’s data, read in one statement', () => {
  it('pages top-level comments newest first, with their approved replies oldest first, and counts only approved ones', async () => {
    const older = await addComment({ name: 'Older', minute: 1 });
    const newer = await addComment({ name: 'Newer', minute: 2 });
    const sameMinute = await addComment({ name: 'Same minute, later id', minute: 2 });
    await addComment({ name: 'Held', minute: 3, status: 'pending' });
    const reply = await addComment({ name: 'Reply', minute: 5, parent: older, root: older, depth: 1 });
    await addComment({ name: 'Earlier reply', minute: 4, parent: older, root: older, depth: 1 });
    await addComment({ name: 'Held reply', minute: 6, parent: older, root: older, depth: 1, status: 'pending' });
    await addComment({ name: 'Reply to the reply', minute: 7, parent: reply, root: older, depth: 2 });

    const first = (await loadArticlePage(db, { slug: SLUG, commentPage: 1, commentsPerPage: 2 }))!;
    expect(first.roots.map((comment) => comment.authorName)).toEqual(['Same minute, later id', 'Newer']);
    expect(first.replies).toEqual([]);
    expect([first.commentCount, first.topLevelCommentCount]).toEqual([6, 3]);
    expect(first.roots[0]).toEqual({
      id: sameMinute,
      parentId: null,
      rootId: null,
      depth: 0,
      authorName: 'Same minute, later id',
      body: 'Text of Same minute, later id',
      createdAt: new Date(at(2)),
      editedAt: null,
      removal: null,
      staff: false,
    });
    expect(first.roots.map((comment) => comment.id)).toEqual([sameMinute, newer]);

    const second = (await loadArticlePage(db, { slug: SLUG, commentPage: 2, commentsPerPage: 2 }))!;
    expect(second.roots.map((comment) => comment.authorName)).toEqual(['Older']);
    expect(second.replies.map((comment) => comment.authorName)).toEqual([
      'Earlier reply',
      'Reply',
      'Reply to the reply',
    ]);
    expect(JSON.stringify(second)).not.toContain('hidden@example.com');
  });

  it('names the comment a reply answers only if it is approved and on this article', async () => {
    const here = await addComment({ name: 'Answer me', minute: 10 });
    const held = await addComment({ name: 'Held target', minute: 11, status: 'pending' });
    const elsewhere = await addComment({
      name: 'On another article',
      minute: 12,
      articleSlug: 'russia-eyes-korean-peninsula',
    });
    const load = (replyTo: number) => loadArticlePage(db, { slug: SLUG, commentPage: 1, commentsPerPage: 50, replyTo });
    expect((await load(here))!.replyTarget).toEqual({
      id: here,
      rootId: null,
      depth: 0,
      authorName: 'Answer me',
      body: 'Text of Answer me',
    });
    expect((await load(held))!.replyTarget).toBeUndefined();
    expect((await load(elsewhere))!.replyTarget).toBeUndefined();
  });

  it('gives the article with its dates, its tags and the navigation in order, and nothing for a draft or an unknown slug', async () => {
    const page = (await loadArticlePage(db, {
      slug: 'russia-eyes-korean-peninsula',
      commentPage: 1,
      commentsPerPage: 50,
    }))!;
    expect(page.article).toMatchObject({
      slug: 'russia-eyes-korean-peninsula',
      headline: 'Russia Eyes Korean Peninsula',
      authorName: 'Richard Weitz',
    });
    expect(page.article.publishedAt).toBeInstanceOf(Date);
    const { tags } = (await env.DB.prepare(
      "SELECT json_group_array(name) AS tags FROM (SELECT t.name FROM tags t JOIN article_tags a ON a.tag_id = t.id JOIN articles r ON r.id = a.article_id WHERE r.slug = 'russia-eyes-korean-peninsula' ORDER BY t.name)",
    ).first<{ tags: string }>()) as { tags: string };
    expect(page.tags.map((tag) => tag.name)).toEqual(JSON.parse(tags));
    expect(page.tags.length).toBeGreaterThan(1);
    const { results: sections } = await env.DB.prepare('SELECT slug, name FROM sections ORDER BY position, name').all();
    expect(page.sections).toEqual(sections);

    const draft = await env.DB.prepare("SELECT slug FROM articles WHERE status = 'draft'").first<{ slug: string }>();
    expect(await loadArticlePage(db, { slug: draft!.slug, commentPage: 1, commentsPerPage: 50 })).toBeUndefined();
    expect(await loadArticlePage(db, { slug: 'no-such-article', commentPage: 1, commentsPerPage: 50 })).toBeUndefined();
  });
});
