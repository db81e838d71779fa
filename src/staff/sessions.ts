import type { Db } from '../db/client';
import type { Role } from '../db/schema';
import { sha256Hex } from '../lib/hash';
import { toBase64Url } from '../lib/hmac';
import { UNMATCHABLE_PASSWORD_HASH, verifyPassword } from '../lib/password';
import {
  deleteSession,
  insertSession,
  sessionWithStaffMember,
  staffMemberForSignIn,
  touchSession,
} from './session-queries';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** …and after this long whatever happens. */
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Last-seen is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export interface SignedInStaffMember {
  id: number;
  email: string;
  name: string;
  role: Role;
  /** The author profile (byline) they write under, if linked. */
  authorId: number | null;
}

const randomToken = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

/** The row id of a session token: only this hash is stored, so the table cannot be used to sign in. */
export const sessionId = (token: string) => sha256Hex(`session|${token}`);

/** The per-session token every admin form carries; derived from the secret cookie, so a forger cannot know it. */
export const csrfTokenFor = (token: string) => sha256Hex(`csrf|${token}`);

/**
 * Checks an editor's email and password and, if they match, starts a session: returns the 256-bit
 * token for the cookie. An unknown email costs the same PBKDF2 work as a wrong password.
 */
export async function signIn(db: Db, { email, password, now }: { email: string; password: string; now: Date }) {
  const staffMember = await passwordOwner(db, email, password);
  return staffMember && startSession(db, staffMember.id, now);
}

/** The staff member whose email and password these are, if they are; starts nothing. Same work for an unknown email. */
export async function passwordOwner(db: Db, email: string, password: string) {
  const staffMember = await staffMemberForSignIn(db, email.toLowerCase());
  const matches = await verifyPassword(password, staffMember?.passwordHash ?? UNMATCHABLE_PASSWORD_HASH);
  return staffMember && matches ? staffMember : undefined;
}

/** Starts a session for a staff member whose identity is already proven; returns the token for the cookie. */
export async function startSession(db: Db, staffMemberId: number, now: Date): Promise<string> {
  const token = randomToken();
  await insertSession(db, {
    id: await sessionId(token),
    staffMemberId,
    now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
  });
  return token;
}

/** The staffMember a session token signs in, if the session exists and has expired neither way; an expired row is deleted. */
export async function resumeSession(db: Db, token: string, now: Date): Promise<SignedInStaffMember | undefined> {
  return resumeSessionById(db, await sessionId(token), now);
}

/** The same, from the session's row id (what the staff-commenter cookie carries). */
export async function resumeSessionById(db: Db, id: string, now: Date): Promise<SignedInStaffMember | undefined> {
  const session = await sessionWithStaffMember(db, id);
  if (!session) return undefined;
  const idleSince = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idleSince >= SESSION_IDLE_MS) {
    await deleteSession(db, id);
    return undefined;
  }
  if (idleSince >= TOUCH_INTERVAL_MS) await touchSession(db, id, now);
  return {
    id: session.staffMemberId,
    email: session.email,
    name: session.name,
    role: session.role,
    authorId: session.authorId,
  };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await deleteSession(db, await sessionId(token));
}
