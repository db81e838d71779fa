import { and, eq } from 'drizzle-orm';
import { domainBlockQuery } from '../comments/moderation/blocks';
import { tellModerators } from '../comments/moderation/digest-object';
import { foldForMatching } from '../comments/normalize';
import { insertComment } from '../comments/queries';
import { type CommentVerdict, judgeComment } from '../comments/rules';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { comments } from '../db/schema';
import { sha256Hex } from '../lib/hash';
import { purgeCommentPages } from '../page-cache/purge';
import type { MentionContent } from './source-page';

export interface MentionOf {
  articleId: number;
  source: string;
}

/** Why a mention that was shown is not any more: read by moderators in the queue. */
export const WITHDRAWN = 'withdrawn: the source no longer links to the article';

const mentionQuery = (db: Db, { articleId, source }: MentionOf) =>
  db
    .select({ id: comments.id, status: comments.status, body: comments.body })
    .from(comments)
    .where(and(eq(comments.articleId, articleId), eq(comments.sourceUrl, source)))
    .limit(1);

/**
 * What moderation makes of a mention: a blocked domain (or one above it) sends it to spam; the word
 * lists and the link count apply to its name and text as to a comment's; then, unless the site
 * publishes everything (`COMMENT_MODERATION=none`) or this source's mention was approved before, a
 * moderator sees it first. A mention a moderator marked spam stays spam.
 */
function mentionVerdict(
  env: Env,
  draft: { authorName: string; authorEmail: string; body: string },
  { blockedDomain, before, heldAs }: { blockedDomain?: string; before?: { status: string }; heldAs: string },
): CommentVerdict {
  const { moderation, holdWords, spamWords } = siteConfig(env).comments;
  if (blockedDomain) return { status: 'spam', reason: `blocked domain ${blockedDomain}` };
  if (before?.status === 'spam') return { status: 'spam', reason: 'marked spam before' };
  const screened = judgeComment(draft, { mode: 'none', holdWords, spamWords }, 'proven');
  if (screened.status !== 'approved' || moderation === 'none' || before?.status === 'approved') return screened;
  return { status: 'pending', reason: heldAs };
}

/**
 * Stores a verified mention of an article as a comment with its source, through moderation (above):
 * a new one is inserted, a repeated one (the same source) updated in place. Held mentions are told to
 * moderators; a change to what readers see purges the article's comment pages. A reply from the
 * fediverse (src/fediverse) is a mention too: its source is the reply, `authorUrl` its author's profile.
 */
export async function recordMention(
  env: Env,
  db: Db,
  mention: MentionOf & {
    content: MentionContent & { authorUrl?: string };
    now: Date;
    /** Why a new one waits for a moderator. */
    heldAs?: string;
  },
): Promise<CommentVerdict['status']> {
  const [[block], [before]] = await db.batch([
    domainBlockQuery(db, new URL(mention.source).hostname),
    mentionQuery(db, mention),
  ]);
  const draft = { authorName: mention.content.authorName, authorEmail: '', body: mention.content.text };
  const verdict = mentionVerdict(env, draft, {
    blockedDomain: block?.value,
    before,
    heldAs: mention.heldAs ?? 'a new Webmention',
  });
  // The source is part of the fingerprint: two pages that say the same thing are two mentions.
  const bodyHash = await sha256Hex(`${mention.source}\n${foldForMatching(draft.body)}`);
  if (before) {
    await db
      .update(comments)
      .set({
        ...draft,
        authorUrl: mention.content.authorUrl ?? null,
        bodyHash,
        status: verdict.status,
        heldReason: verdict.reason,
        editedAt: before.status === 'approved' && before.body !== draft.body ? mention.now : undefined,
      })
      .where(eq(comments.id, before.id));
  } else {
    await insertComment(db, {
      ...draft,
      articleId: mention.articleId,
      bodyHash,
      status: verdict.status,
      heldReason: verdict.reason,
      ipHash: null,
      formToken: null,
      sourceUrl: mention.source,
      authorUrl: mention.content.authorUrl ?? null,
      createdAt: mention.now,
    });
  }
  if (verdict.status === 'pending') await tellModerators(env);
  if (verdict.status === 'approved' || before?.status === 'approved') await purgeCommentPages(env, [mention.articleId]);
  return verdict.status;
}

/**
 * Takes down the mention of a source that no longer links to the article (or is gone); false if there
 * was none to take down. Spam stays spam, so unlinking and linking again does not clear it.
 */
export async function withdrawMention(
  env: Env,
  db: Db,
  mention: MentionOf & { now: Date; reason?: string },
): Promise<boolean> {
  const [before] = await mentionQuery(db, mention);
  if (!before || before.status === 'deleted' || before.status === 'spam') return false;
  await db
    .update(comments)
    .set({ status: 'deleted', heldReason: mention.reason ?? WITHDRAWN, moderatedAt: mention.now })
    .where(eq(comments.id, before.id));
  if (before.status === 'approved') await purgeCommentPages(env, [mention.articleId]);
  return true;
}
