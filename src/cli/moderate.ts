/**
 * Moderates comments through the running site's moderation API.
 *
 *   npm run moderate -- list [pending|approved|spam|deleted]
 *   npm run moderate -- approve|spam|delete ID [ID…]
 *
 * Talks to http://127.0.0.1:8787 with MODERATOR_TOKEN from .dev.vars; for a deployed site set
 * EDGEPRESS_URL and MODERATOR_TOKEN in the environment.
 */
import { readDevVars } from './dev-vars';

const baseUrl = (process.env.EDGEPRESS_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
const token = process.env.MODERATOR_TOKEN ?? readDevVars().MODERATOR_TOKEN;
const [command, ...args] = process.argv.slice(2);

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${response.status}: ${String(body.error ?? response.statusText)}`);
  return body;
}

interface ModerationRow {
  id: number;
  articleSlug: string;
  authorName: string;
  authorEmail: string;
  heldReason: string | null;
  createdAt: string;
  body: string;
}

async function main() {
  if (!token)
    throw new Error('No MODERATOR_TOKEN: run `npm start` once (it writes .dev.vars) or set it in the environment.');
  if (command === 'list') {
    const { comments } = (await call(`/api/moderation/comments?status=${args[0] ?? 'pending'}`)) as {
      comments: ModerationRow[];
    };
    if (comments.length === 0) console.log('No comments.');
    for (const comment of comments) {
      console.log(`#${comment.id}  ${comment.createdAt}  ${comment.articleSlug}`);
      console.log(
        `    ${comment.authorName} <${comment.authorEmail}>${comment.heldReason ? `  (held: ${comment.heldReason})` : ''}`,
      );
      console.log(`    ${comment.body.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    return;
  }
  if ((command === 'approve' || command === 'spam' || command === 'delete') && args.length > 0) {
    for (const id of args) {
      const result = await call(`/api/moderation/comments/${encodeURIComponent(id)}`, {
        method: 'POST',
        body: JSON.stringify({ action: command }),
      });
      console.log(`#${id}: ${String(result.status)}`);
    }
    return;
  }
  throw new Error('Usage: npm run moderate -- list [status] | approve|spam|delete ID [ID…]');
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
