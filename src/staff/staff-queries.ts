import { and, asc, count, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authors, type Role, staffInvitations, staffMembers, staffSessions } from '../db/schema';

/** Everyone on the staff, for the administrators' list (never the password hash). */
export function staffListQuery(db: Db) {
  return db
    .select({
      id: staffMembers.id,
      name: staffMembers.name,
      email: staffMembers.email,
      role: staffMembers.role,
      authorId: staffMembers.authorId,
      lastSignedInAt: staffMembers.lastSignedInAt,
    })
    .from(staffMembers)
    .orderBy(asc(staffMembers.name), asc(staffMembers.email));
}

export type StaffMember = Awaited<ReturnType<typeof staffListQuery>>[number];

export function pendingInvitationsQuery(db: Db, now: Date) {
  return db
    .select({
      id: staffInvitations.id,
      email: staffInvitations.email,
      role: staffInvitations.role,
      expiresAt: staffInvitations.expiresAt,
    })
    .from(staffInvitations)
    .where(gt(staffInvitations.expiresAt, now))
    .orderBy(asc(staffInvitations.email));
}

export type PendingInvitation = Awaited<ReturnType<typeof pendingInvitationsQuery>>[number];

export function authorOptionsQuery(db: Db) {
  return db.select({ id: authors.id, name: authors.name }).from(authors).orderBy(asc(authors.name));
}

export async function staffMemberByEmail(db: Db, email: string) {
  return db.select({ id: staffMembers.id }).from(staffMembers).where(eq(staffMembers.email, email)).get();
}

export async function staffMember(db: Db, id: number) {
  return db
    .select({ id: staffMembers.id, name: staffMembers.name, email: staffMembers.email, role: staffMembers.role })
    .from(staffMembers)
    .where(eq(staffMembers.id, id))
    .get();
}

/** How many administrators there are besides `id`: the last one cannot be demoted or removed. */
export async function otherAdministrators(db: Db, id: number): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(staffMembers)
    .where(and(eq(staffMembers.role, 'administrator'), ne(staffMembers.id, id)));
  return row?.total ?? 0;
}

/** A new invitation for an address, replacing any earlier one for it (whose link stops working). */
export async function replaceInvitation(
  db: Db,
  invitation: { id: string; email: string; name: string; role: Role; invitedBy: number; expiresAt: Date },
) {
  await db.batch([
    db.delete(staffInvitations).where(eq(staffInvitations.email, invitation.email)),
    db.insert(staffInvitations).values(invitation),
  ]);
}

export function invitationById(db: Db, id: string) {
  return db.select().from(staffInvitations).where(eq(staffInvitations.id, id)).get();
}

export async function deleteInvitation(db: Db, id: string) {
  await db.delete(staffInvitations).where(eq(staffInvitations.id, id));
}

/**
 * Turns a live invitation into a staff member and deletes it, in one transaction: a second use of
 * the same link (or two at once) finds no invitation and inserts nobody. Returns the new member's id.
 */
export async function acceptInvitationRow(
  db: Db,
  { id, name, passwordHash, now }: { id: string; name: string; passwordHash: string; now: Date },
): Promise<number | undefined> {
  const [inserted] = await db.batch([
    db
      .insert(staffMembers)
      .select(
        db
          .select({
            id: sql<null>`null`.as('id'),
            email: staffInvitations.email,
            name: sql<string>`${name}`.as('name'),
            passwordHash: sql<string>`${passwordHash}`.as('password_hash'),
            role: staffInvitations.role,
            authorId: sql<null>`null`.as('author_id'),
            lastSignedInAt: sql<null>`null`.as('last_signed_in_at'),
            moderationEmails: sql<boolean>`1`.as('moderation_emails'),
            createdAt: sql<number>`${now.getTime()}`.as('created_at'),
          })
          .from(staffInvitations)
          .where(and(eq(staffInvitations.id, id), gt(staffInvitations.expiresAt, now))),
      )
      .returning({ id: staffMembers.id }),
    db.delete(staffInvitations).where(eq(staffInvitations.id, id)),
  ]);
  return inserted[0]?.id;
}

/** A new role, which also ends every session of that person (they sign in again under it). */
export async function setRole(db: Db, id: number, role: Role) {
  await db.batch([
    db.update(staffMembers).set({ role }).where(eq(staffMembers.id, id)),
    db.delete(staffSessions).where(eq(staffSessions.staffMemberId, id)),
  ]);
}

export async function setAuthorProfile(db: Db, id: number, authorId: number | null) {
  await db.update(staffMembers).set({ authorId }).where(eq(staffMembers.id, id));
}

/**
 * Removes a person: their sessions go with the row (cascade), so they are signed out at once; their
 * articles stay under their author profile, no longer started by anyone on the staff.
 */
export async function removeStaffMember(db: Db, id: number) {
  await db.batch([
    db.delete(staffSessions).where(eq(staffSessions.staffMemberId, id)),
    db.delete(staffMembers).where(eq(staffMembers.id, id)),
  ]);
}

export async function authorExists(db: Db, id: number) {
  return (await db.select({ id: authors.id }).from(authors).where(eq(authors.id, id)).get()) !== undefined;
}
