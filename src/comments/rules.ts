import type { ModerationMode } from '../config';
import type { CommentStatus } from '../db/schema';
import { foldedForms, foldForMatching } from './normalize';
import { countLinks } from './text';

export interface CommentScreeningSettings {
  mode: ModerationMode;
  /** Words or phrases that hold a comment for a moderator. */
  holdWords: string[];
  /** Words or phrases that send a comment straight to spam. */
  spamWords: string[];
}

export interface CommentDraft {
  authorName: string;
  authorEmail: string;
  body: string;
}

export interface CommentVerdict {
  status: Extract<CommentStatus, 'approved' | 'pending' | 'spam'>;
  /** The rule that held it or marked it spam, shown to moderators. */
  reason: string | null;
}

export const MAX_LINKS_BEFORE_HOLD = 1;

/**
 * What the site knows of a commenter: `new` (no approved comment from this address), `unproven` (the
 * address has one, but this browser did not post it: anyone can type a regular's address), `proven`.
 */
export type Standing = 'new' | 'unproven' | 'proven';

/** A listed word or phrase found in the name, email or text, compared on their confusable-folded forms. */
function matchedWord(words: string[], draft: CommentDraft): string | undefined {
  const haystacks = foldedForms(`${draft.authorName}\n${draft.authorEmail}\n${draft.body}`);
  return words.find((word) => {
    const escaped = foldForMatching(word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u');
    return haystacks.some((haystack) => pattern.test(haystack));
  });
}

/**
 * Decides what happens to a new comment: spam-list matches go to spam; the hold list, two or more
 * links, and the moderation mode hold it as pending; otherwise it is published.
 */
export function judgeComment(
  draft: CommentDraft,
  settings: CommentScreeningSettings,
  standing: Standing,
): CommentVerdict {
  const spamWord = matchedWord(settings.spamWords, draft);
  if (spamWord) return { status: 'spam', reason: `disallowed word: ${spamWord}` };
  const holdWord = matchedWord(settings.holdWords, draft);
  if (holdWord) return { status: 'pending', reason: `held word: ${holdWord}` };
  const links = countLinks(draft.body);
  if (links > MAX_LINKS_BEFORE_HOLD) return { status: 'pending', reason: `${links} links` };
  if (settings.mode === 'all') return { status: 'pending', reason: 'moderation mode: all' };
  if (settings.mode === 'first-time' && standing === 'new') {
    return { status: 'pending', reason: 'first comment from this address' };
  }
  if (settings.mode === 'first-time' && standing === 'unproven') {
    return { status: 'pending', reason: 'known address, from a browser it was never approved on' };
  }
  return { status: 'approved', reason: null };
}
