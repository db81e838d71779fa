import { and, desc, eq, or } from 'drizzle-orm';
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

/**
 * Blocks the email or the network (its salted IP-group hash) of comment `commentId`. False when the
 * comment does not exist or has no network on record (posted without one, or emptied by retention).
 */
export async function blockFromComment(
  db: Db,
  { commentId, kind, staffMemberId }: { commentId: number; kind: BlockKind; staffMemberId: number },
): Promise<boolean> {
  const [comment] = await db
    .select({ email: comments.authorEmail, networkHash: comments.ipHash })
    .from(comments)
    .where(eq(comments.id, commentId));
  const value = kind === 'email' ? comment?.email : comment?.networkHash;
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
