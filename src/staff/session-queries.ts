import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { staffMembers, staffSessions } from '../db/schema';

export function staffMemberForSignIn(db: Db, email: string) {
  return db.select().from(staffMembers).where(eq(staffMembers.email, email)).get();
}

/** Starts a session and records the sign-in on the editor, in one round trip. */
export async function insertSession(
  db: Db,
  session: { id: string; staffMemberId: number; now: Date; expiresAt: Date },
) {
  await db.batch([
    db.insert(staffSessions).values({
      id: session.id,
      staffMemberId: session.staffMemberId,
      createdAt: session.now,
      lastSeenAt: session.now,
      expiresAt: session.expiresAt,
    }),
    db.update(staffMembers).set({ lastSignedInAt: session.now }).where(eq(staffMembers.id, session.staffMemberId)),
  ]);
}

/** A session and the editor it signs in (never the password hash). */
export function sessionWithStaffMember(db: Db, id: string) {
  return db
    .select({
      expiresAt: staffSessions.expiresAt,
      lastSeenAt: staffSessions.lastSeenAt,
      staffMemberId: staffMembers.id,
      email: staffMembers.email,
      name: staffMembers.name,
      role: staffMembers.role,
      authorId: staffMembers.authorId,
    })
    .from(staffSessions)
    .innerJoin(staffMembers, eq(staffMembers.id, staffSessions.staffMemberId))
    .where(eq(staffSessions.id, id))
    .get();
}

export async function touchSession(db: Db, id: string, now: Date) {
  await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, id));
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(staffSessions).where(eq(staffSessions.id, id));
}

/** A staff member by id, with what a device link is checked against (password hash, last sign-in). */
export function staffMemberById(db: Db, id: number) {
  return db.select().from(staffMembers).where(eq(staffMembers.id, id)).get();
}
