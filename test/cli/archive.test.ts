import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type ArchiveBase,
  type ArchiveShape,
  articleBatches,
  commentBatches,
  insertStatements,
  tagRows,
} from '../../src/cli/archive-generator';
import { MAX_STATEMENT_BYTES } from '../../src/cli/backup-file';

const BASE: ArchiveBase = {
  sectionIds: [1, 2, 3, 4],
  authorIds: [1, 2, 3],
  heroes: [{ url: '/media/abc/1280', width: 800, height: 600 }],
  firstArticleId: 9,
  firstCommentId: 20,
  firstTagId: 30,
};

/** Every statement the archive makes, in order. */
function* statements(shape: ArchiveShape) {
  yield* insertStatements('tags', tagRows(shape, BASE));
  for (const batch of articleBatches(shape, BASE, 50)) {
    yield* insertStatements('articles', batch.articles);
    yield* insertStatements('article_tags', batch.articleTags);
  }
  for (const batch of commentBatches(shape, BASE, 700)) yield* insertStatements('comments', batch.comments);
}

const digest = (shape: ArchiveShape) => {
  const hash = createHash('sha256');
  for (const statement of statements(shape)) hash.update(statement);
  return hash.digest('hex');
};

describe('the synthetic archive', () => {
  const shape = { articles: 300, comments: 5000, subscribers: 0, seed: 7 };

  it('is the same for the same seed, byte for byte, and another for another seed', () => {
    expect(digest(shape)).toBe(digest(shape));
    expect(digest({ ...shape, seed: 8 })).not.toBe(digest(shape));
  });

  it('has the shape of a real archive, in statements D1 takes', () => {
    const articles = [...articleBatches(shape, BASE, 64)].flatMap((batch) => batch.articles);
    expect(articles).toHaveLength(300);
    expect(articles.filter((article) => article.status === 'draft')).toHaveLength(6);
    const words = articles.map((article) => String(article.body_markdown).split(/\s+/).length);
    expect(Math.min(...words)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...words)).toBeLessThanOrEqual(3000);
    const published = articles.map((article) => Number(article.created_at));
    expect(published).toEqual([...published].sort((a, b) => a - b));
    expect(new Date(published[0]!).getUTCFullYear()).toBe(2011);

    const tagged = [...articleBatches(shape, BASE)].flatMap((batch) => batch.articleTags);
    const perTag = new Map<unknown, number>();
    for (const { tag_id } of tagged) perTag.set(tag_id, (perTag.get(tag_id) ?? 0) + 1);
    // A long tail: the commonest tag on a large share of the articles, most tags on a few.
    expect(Math.max(...perTag.values())).toBeGreaterThan(300 * 0.15);
    const sorted = [...perTag.values()].sort((a, b) => a - b);
    expect(sorted.at(-1)!).toBeGreaterThan(5 * sorted[Math.floor(sorted.length / 2)]!);

    const comments = [...commentBatches(shape, BASE)].flatMap((batch) => batch.comments);
    expect(comments).toHaveLength(5000);
    const perArticle = new Map<unknown, number>();
    for (const { article_id } of comments) perArticle.set(article_id, (perArticle.get(article_id) ?? 0) + 1);
    expect(Math.max(...perArticle.values())).toBeGreaterThanOrEqual(3000);
    const pending = comments.filter((comment) => comment.status === 'pending').length;
    expect(pending).toBeGreaterThan(20);
    expect(pending).toBeLessThan(100);
    const byId = new Map(comments.map((comment) => [comment.id, comment]));
    for (const comment of comments.filter((each) => each.parent_id !== null)) {
      const parent = byId.get(comment.parent_id)!;
      expect(parent.article_id).toBe(comment.article_id);
      expect(Number(parent.id)).toBeLessThan(Number(comment.id));
      expect(comment.depth).toBe(Number(parent.depth) + 1);
    }
    for (const statement of statements(shape))
      expect(Buffer.byteLength(statement)).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
  });
});
