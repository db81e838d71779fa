import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { type Db, primaryDb } from '../db/client';
import { sha256Hex } from '../lib/hash';
import { toBase64Url } from '../lib/hmac';
import {
  deleteMemberSession,
  deleteMemberSessions,
  insertMemberSession,
  sessionWithMember,
  touchMemberSession,
} from './member-queries';

/** A reader signed in to their account. */
export interface SignedInMember {
  id: number;
  email: string;
  name: string;
  subscriberId: number | null;
  /** Paid access lasts until then (see readerAccess); null: never paid. */
  paidUntil: Date | null;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The member this browser is signed in as, if any (set by memberSession, on every request). */
    member: SignedInMember | undefined;
  }
}

/** A session ends after this long without a visit… */
export const MEMBER_SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** …and after this long whatever happens. */
export const MEMBER_SESSION_MAX_MS = 180 * 24 * 60 * 60 * 1000;
/** Last-seen is written at most once a day, not on every page. */
const TOUCH_INTERVAL_MS = 24 * 60 * 60 * 1000;

export const MEMBER_COOKIE = 'edgepress_member';
const COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'Lax' } as const;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const randomToken = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
const sessionId = (token: string) => sha256Hex(`member-session|${token}`);

/** Starts a session for a member whose address is proven, and sets its cookie (HttpOnly, Secure, SameSite=Lax). */
export async function signInMember(c: Context<AppEnv>, memberId: number, now: Date): Promise<void> {
  const token = randomToken();
  await insertMemberSession(primaryDb(c.env), {
    id: await sessionId(token),
    memberId,
    now,
    expiresAt: new Date(now.getTime() + MEMBER_SESSION_MAX_MS),
  });
  setCookie(c, MEMBER_COOKIE, token, { ...COOKIE_OPTIONS, maxAge: MEMBER_SESSION_MAX_MS / 1000 });
}

/** Ends this browser's session, or every session of its member. */
export async function signOutMember(c: Context<AppEnv>, { everywhere }: { everywhere: boolean }): Promise<void> {
  const token = getCookie(c, MEMBER_COOKIE);
  const db = primaryDb(c.env);
  if (everywhere && c.var.member) await deleteMemberSessions(db, c.var.member.id);
  else if (token && TOKEN.test(token)) await deleteMemberSession(db, await sessionId(token));
  deleteCookie(c, MEMBER_COOKIE, COOKIE_OPTIONS);
}

async function resumeMemberSession(db: Db, token: string, now: Date): Promise<SignedInMember | undefined> {
  const id = await sessionId(token);
  const session = await sessionWithMember(db, id);
  if (!session) return undefined;
  const idleSince = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idleSince >= MEMBER_SESSION_IDLE_MS) {
    await deleteMemberSession(db, id);
    return undefined;
  }
  if (idleSince >= TOUCH_INTERVAL_MS) await touchMemberSession(db, id, now);
  return {
    id: session.id,
    email: session.email,
    name: session.name,
    subscriberId: session.subscriberId,
    paidUntil: session.paidUntil,
  };
}

/**
 * Sets `c.var.member` from the member cookie: one read of the primary (so that signing out everywhere
 * is at once everywhere) for the requests that carry one, none for the others. A cookie of an ended
 * session is deleted. Paths under `outside` (images, JSON APIs, the admin) never look: they show no
 * member, and an image keeps its long-lived caching.
 *
 * @example
 * app.use('*', memberSession({ outside: ['/media/', '/api/', '/admin'] }))
 */
export function memberSession({ outside }: { outside: string[] }): MiddlewareHandler<AppEnv> {
  return async function memberSessionMiddleware(c, next) {
    if (outside.some((prefix) => c.req.path.startsWith(prefix))) {
      c.set('member', undefined);
      c.set('memberSignedIn', false);
      return next();
    }
    const token = getCookie(c, MEMBER_COOKIE);
    const member =
      token && TOKEN.test(token) ? await resumeMemberSession(primaryDb(c.env), token, new Date()) : undefined;
    if (token && !member) deleteCookie(c, MEMBER_COOKIE, COOKIE_OPTIONS);
    c.set('member', member);
    c.set('memberSignedIn', member !== undefined);
    await next();
    // Every page a member gets may name them: no browser or proxy cache keeps it for someone else.
    if (member) c.res.headers.set('Cache-Control', 'private, no-store');
  };
}

/** The signed-in member who comments under their member name, if any (the comment form is given it). */
export async function memberCommenter(c: Context<AppEnv>): Promise<{ name: string; email: string } | undefined> {
  const { member } = c.var;
  return member && { name: member.name, email: member.email };
}
