import { html } from 'hono/html';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import type { Role } from '../db/schema';
import { sha256Hex } from '../lib/hash';
import { toBase64Url } from '../lib/hmac';
import { hashPassword } from '../lib/password';
import { sendMail } from '../mail/mailer';
import { ROLE_LABELS } from './roles';
import { acceptInvitationRow, invitationById, replaceInvitation } from './staff-queries';

export const INVITATION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const invitationPath = (token: string) => `/admin/invitation/${token}`;
/** 43 base64url characters: 256 random bits. */
export const INVITATION_PATH_PATTERN = /^\/admin\/invitation\/[A-Za-z0-9_-]{43}$/;

/** The row id of an invitation token: like a session's, only the hash is stored. */
const invitationId = (token: string) => sha256Hex(`invitation|${token}`);

/**
 * Invites a person onto the staff: stores the invitation (replacing an earlier one for the address)
 * and emails them the link, which is good for 7 days and one use. The link carries 256 random bits;
 * only their SHA-256 is stored, so neither the table nor a changed link accepts anything.
 */
export async function invite(
  env: Env,
  db: Db,
  {
    email,
    name,
    role,
    invitedBy,
    now,
  }: { email: string; name: string; role: Role; invitedBy: { id: number; name: string }; now: Date },
): Promise<void> {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const expiresAt = new Date(now.getTime() + INVITATION_MAX_AGE_MS);
  await replaceInvitation(db, { id: await invitationId(token), email, name, role, invitedBy: invitedBy.id, expiresAt });
  const site = siteConfig(env);
  const url = site.url + invitationPath(token);
  const label = ROLE_LABELS[role].toLowerCase();
  const article = role === 'contributor' ? 'a' : 'an';
  const inviter = invitedBy.name || 'An administrator';
  const text = [
    `${inviter} has invited you to join ${site.name} as ${article} ${label}.`,
    '',
    'Choose your password here (the link works once, for 7 days):',
    url,
    '',
    'If you did not expect this, ignore this email: nothing happens unless the link is used.',
  ].join('\n');
  await sendMail(
    env,
    {
      from: { name: site.name, address: site.newsletter.from },
      to: email,
      subject: `You are invited to ${site.name}`,
      text,
      html: String(
        await html`<p>${inviter} has invited you to join ${site.name} as ${article} ${label}.</p>
        <p><a href="${url}">Choose your password</a> (the link works once, for 7 days).</p>
        <p>If you did not expect this, ignore this email: nothing happens unless the link is used.</p>`,
      ),
    },
    { purpose: 'staff-invitation' },
  );
}

export type InvitationState =
  | { state: 'valid'; email: string; name: string; role: Role }
  | { state: 'expired' }
  | { state: 'unknown' };

/** What a link leads to: a live invitation, an expired one, or nothing (used, revoked, replaced or altered). */
export async function invitationFor(db: Db, token: string, now: Date): Promise<InvitationState> {
  const row = await invitationById(db, await invitationId(token));
  if (!row) return { state: 'unknown' };
  if (row.expiresAt <= now) return { state: 'expired' };
  return { state: 'valid', email: row.email, name: row.name, role: row.role };
}

/** Sets the password and makes the person a staff member; undefined if the link is no longer good. */
export async function acceptInvitation(
  db: Db,
  { token, name, password, now }: { token: string; name: string; password: string; now: Date },
): Promise<number | undefined> {
  return acceptInvitationRow(db, {
    id: await invitationId(token),
    name,
    passwordHash: await hashPassword(password),
    now,
  });
}
