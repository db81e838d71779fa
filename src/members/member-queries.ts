import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  type MemberEmailPurpose,
  type MemberEmailSentTo,
  type MemberLinkPurpose,
  memberEmails,
  memberLinks,
  memberSessions,
  memberSignIns,
  members,
} from '../db/schema';

const sameMailbox = (email: string) => sql`lower(${members.email}) = lower(${email})`;

export function memberByEmail(db: Db, email: string) {
  return db.select().from(members).where(sameMailbox(email)).get();
}

/** The address's member, created if there is none (one row per mailbox: a concurrent sign-up is a no-op conflict). */
export async function memberForSignIn(db: Db, email: string) {
  const [, [member]] = await db.batch([
    db.insert(members).values({ email }).onConflictDoNothing(),
    db.select().from(members).where(sameMailbox(email)),
  ]);
  return member!;
}

export async function linkSubscriber(db: Db, memberId: number, subscriberId: number | null) {
  await db.update(members).set({ subscriberId }).where(eq(members.id, memberId));
}

export async function renameMember(db: Db, memberId: number, name: string) {
  await db.update(members).set({ name }).where(eq(members.id, memberId));
}

/** Moves a member to a new address, unless another member has it; false then. */
export async function changeMemberEmail(db: Db, memberId: number, email: string): Promise<boolean> {
  const moved = await db
    .update(members)
    .set({ email })
    .where(
      and(
        eq(members.id, memberId),
        sql`not exists (select 1 from ${members} as other where lower(other.email) = lower(${email}) and other.id <> ${memberId})`,
      ),
    )
    .returning({ id: members.id });
  return moved.length > 0;
}

/** Stores a link's hashed token; expired links are deleted on the way (indexed by expiry). */
export async function insertMemberLink(
  db: Db,
  link: { id: string; purpose: MemberLinkPurpose; email: string; memberId?: number; expiresAt: Date; now: Date },
) {
  await db.batch([
    db.delete(memberLinks).where(lt(memberLinks.expiresAt, link.now)),
    db.insert(memberLinks).values({
      id: link.id,
      purpose: link.purpose,
      email: link.email,
      memberId: link.memberId ?? null,
      expiresAt: link.expiresAt,
    }),
  ]);
}

/** Takes a link out of the table (so it opens once, even for two concurrent requests) and returns it. */
export async function takeMemberLink(db: Db, id: string) {
  const [link] = await db.delete(memberLinks).where(eq(memberLinks.id, id)).returning();
  return link;
}

/** Starts a session and records the sign-in (the member's last, and one more in their history), in one round trip. */
export async function insertMemberSession(
  db: Db,
  session: { id: string; memberId: number; now: Date; expiresAt: Date },
) {
  await db.batch([
    db.insert(memberSessions).values({
      id: session.id,
      memberId: session.memberId,
      createdAt: session.now,
      lastSeenAt: session.now,
      expiresAt: session.expiresAt,
    }),
    db.update(members).set({ lastSignedInAt: session.now }).where(eq(members.id, session.memberId)),
    db.insert(memberSignIns).values({ memberId: session.memberId, at: session.now }),
  ]);
}

/**
 * Records an email the sender took: for the member whose new address it went to, or else for the
 * member who has the address it went to, if any (one indexed lookup; no row for an address that is no
 * member's).
 */
export async function insertMemberEmail(
  db: Db,
  email: { purpose: MemberEmailPurpose; address: string; newAddressOf?: number; sentAt: Date },
) {
  const { purpose, sentAt } = email;
  if (email.newAddressOf !== undefined) {
    await db.insert(memberEmails).values({ memberId: email.newAddressOf, purpose, sentTo: 'new-address', sentAt });
    return;
  }
  await db.insert(memberEmails).select(
    db
      .select({
        id: sql<null>`null`.as('id'),
        memberId: members.id,
        purpose: sql<MemberEmailPurpose>`${purpose}`.as('purpose'),
        sentTo: sql<'account'>`'account'`.as('sent_to'),
        sentAt: sql<number>`${sentAt.getTime()}`.as('sent_at'),
      })
      .from(members)
      .where(sameMailbox(email.address)),
  );
}

/** A session and the member it signs in. */
export function sessionWithMember(db: Db, id: string) {
  return db
    .select({
      expiresAt: memberSessions.expiresAt,
      lastSeenAt: memberSessions.lastSeenAt,
      id: members.id,
      email: members.email,
      name: members.name,
      subscriberId: members.subscriberId,
      paidUntil: members.paidUntil,
    })
    .from(memberSessions)
    .innerJoin(members, eq(members.id, memberSessions.memberId))
    .where(eq(memberSessions.id, id))
    .get();
}

/** The browsers a member is signed in on, newest sign-in first: their sign-ins the admin shows. */
export function memberSessionsOf(db: Db, memberId: number) {
  return db
    .select({ createdAt: memberSessions.createdAt, lastSeenAt: memberSessions.lastSeenAt })
    .from(memberSessions)
    .where(eq(memberSessions.memberId, memberId))
    .orderBy(desc(memberSessions.createdAt));
}

export async function touchMemberSession(db: Db, id: string, now: Date) {
  await db.update(memberSessions).set({ lastSeenAt: now }).where(eq(memberSessions.id, id));
}

export async function deleteMemberSession(db: Db, id: string) {
  await db.delete(memberSessions).where(eq(memberSessions.id, id));
}

export async function deleteMemberSessions(db: Db, memberId: number) {
  await db.delete(memberSessions).where(eq(memberSessions.memberId, memberId));
}

/** The member stored under `email`, as a privacy export states it (never the sessions' hashes). */
export function memberDataQuery(db: Db, email: string) {
  return db
    .select({
      email: members.email,
      name: members.name,
      joinedAt: members.createdAt,
      lastSignedInAt: members.lastSignedInAt,
      signedInAt:
        sql`(select json_group_array(strftime('%Y-%m-%dT%H:%M:%fZ', ${memberSignIns.at} / 1000.0, 'unixepoch')) from ${memberSignIns} where ${memberSignIns}.member_id = ${members}.id)`.mapWith(
          (times: string) => JSON.parse(times) as string[],
        ),
      signedInBrowsers: sql<number>`(select count(*) from ${memberSessions} where ${memberSessions}.member_id = ${members}.id)`,
      emailsSent:
        sql`(select json_group_array(json_object('purpose', purpose, 'sentTo', sent_to, 'sentAt', strftime('%Y-%m-%dT%H:%M:%fZ', sent_at / 1000.0, 'unixepoch'))) from (select * from ${memberEmails} where ${memberEmails}.member_id = ${members}.id order by ${memberEmails}.sent_at))`.mapWith(
          (emails: string) =>
            JSON.parse(emails) as { purpose: MemberEmailPurpose; sentTo: MemberEmailSentTo; sentAt: string }[],
        ),
    })
    .from(members)
    .where(sameMailbox(email));
}

/** Erases the member stored under `email`: the row, its sessions, sign-ins, emails and links (cascade). Returns how many. */
export async function eraseMember(db: Db, email: string): Promise<number> {
  const erased = await db.delete(members).where(sameMailbox(email)).returning({ id: members.id });
  return erased.length;
}

export function memberById(db: Db, id: number) {
  return db.select().from(members).where(eq(members.id, id)).get();
}
