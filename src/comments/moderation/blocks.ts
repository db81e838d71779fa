import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type BlockKind, commentBlocks, comments, staffMembers } from '../../db/schema';

/** The block that sends a new comment from this address or network straight to spam, if any. */
export function blockOfQuery(db: Db, { email, networkHash }: { email: string; networkHash: string | null }) {
  const byEmail = and(eq(commentBlocks.kind, 'email'), eq(commentBlocks.value, email));
  return db
    .select({ kind: commentBlocks.kind })
    .from(commentBlocks)
    .where(
      networkHash ? or(byEmail, and(eq(commentBlocks.kind, 'network'), eq(commentBlocks.value, networkHash))) : byEmail,
    )
    .limit(1);
}

/** A host name and every domain above it (`a.b.example.com`, `b.example.com`, `example.com`), lower case. */
export function enclosingDomains(host: string): string[] {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  return labels.slice(0, -1).map((_, start) => labels.slice(start).join('.'));
}

/** The block of this host's domain or of a domain above it, if any: a blocked domain's subdomains are blocked too. */
export function domainBlockQuery(db: Db, host: string) {
  const domains = enclosingDomains(host);
  return db
    .select({ kind: commentBlocks.kind, value: commentBlocks.value })
    .from(commentBlocks)
    .where(and(eq(commentBlocks.kind, 'domain'), inArray(commentBlocks.value, domains.length ? domains : [host])))
    .limit(1);
}

/** What a block of this kind holds for a comment: its email, its network's hash, or its source's host name. */
const blockedValue = (
  kind: BlockKind,
  comment: { email: string; networkHash: string | null; sourceUrl: string | null } | undefined,
) => {
  if (kind === 'email') return comment?.email || null;
  if (kind === 'network') return comment?.networkHash ?? null;
  return comment?.sourceUrl ? new URL(comment.sourceUrl).hostname : null;
};

/**
 * Blocks the email, the network (its salted IP-group hash) or, for a Webmention, the source's domain
 * of comment `commentId`. False when the comment does not exist or has no such thing on record (no
 * network, posted without one or emptied by retention; no email or no source).
 */
export async function blockFromComment(
  db: Db,
  { commentId, kind, staffMemberId }: { commentId: number; kind: BlockKind; staffMemberId: number },
): Promise<boolean> {
  const [comment] = await db
    .select({ email: comments.authorEmail, networkHash: comments.ipHash, sourceUrl: comments.sourceUrl })
    .from(comments)
    .where(eq(comments.id, commentId));
  const value = blockedValue(kind, comment);
  if (!value) return false;
  await db.insert(commentBlocks).values({ kind, value, commentId, createdBy: staffMemberId }).onConflictDoNothing();
  return true;
}

/** Every block, newest first, with who set it: for the editors' block list (emails included: never public). */
export function blockListQuery(db: Db) {
  return db
    .select({
      id: commentBlocks.id,
      kind: commentBlocks.kind,
      value: commentBlocks.value,
      commentId: commentBlocks.commentId,
      createdAt: commentBlocks.createdAt,
      createdByName: staffMembers.name,
    })
    .from(commentBlocks)
    .leftJoin(staffMembers, eq(staffMembers.id, commentBlocks.createdBy))
    .orderBy(desc(commentBlocks.createdAt), desc(commentBlocks.id));
}

/** Lifts a block; false if there was none with this id. */
export async function liftBlock(db: Db, id: number): Promise<boolean> {
  const lifted = await db.delete(commentBlocks).where(eq(commentBlocks.id, id)).returning({ id: commentBlocks.id });
  return lifted.length > 0;
}
