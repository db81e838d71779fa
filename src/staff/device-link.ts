import { html } from 'hono/html';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import { hmacSign, hmacVerify } from '../lib/hmac';
import { sendMail } from '../mail/mailer';
import { staffMemberById } from './session-queries';

/**
 * A one-time link that signs a new browser in once strangers have spent the per-email budget of failed
 * attempts. It is mailed only after the right password, and it names the staff member, when it stops
 * working, their last sign-in (so any sign-in, this link's own included, uses it up) and the end of
 * their password hash (so a new password voids it), signed with the form-token secret: nothing is stored.
 */
export const DEVICE_LINK_PATH = '/admin/sign-in/device';
export const DEVICE_LINK_LIFETIME_MS = 15 * 60 * 1000;

interface LinkedStaffMember {
  id: number;
  lastSignedInAt: Date | null;
  passwordHash: string;
}

const signed = (member: LinkedStaffMember, expiresAt: number) =>
  `staff-device-link|${member.id}|${expiresAt}|${member.lastSignedInAt?.getTime() ?? 0}|${member.passwordHash.slice(-16)}`;

/** `<id>.<expiry>.<signature>`, good for 15 minutes from `now` and one sign-in. */
export async function deviceLinkToken(env: Env, member: LinkedStaffMember, now: Date): Promise<string> {
  const expiresAt = now.getTime() + DEVICE_LINK_LIFETIME_MS;
  return `${member.id}.${expiresAt}.${await hmacSign(env.FORM_TOKEN_SECRET, signed(member, expiresAt))}`;
}

/** The staff member a link signs in, if it is theirs, unexpired and unused. */
export async function deviceLinkStaffMember(env: Env, db: Db, token: string, now: Date) {
  const match = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const expiresAt = Number(match[2]);
  if (expiresAt <= now.getTime()) return undefined;
  const member = await staffMemberById(db, Number(match[1]));
  if (!member || !(await hmacVerify(env.FORM_TOKEN_SECRET, signed(member, expiresAt), match[3]!))) return undefined;
  return member;
}

/** Mails the link to the staff member's own address. */
export async function mailDeviceLink(
  env: Env,
  member: LinkedStaffMember & { email: string; name: string },
  now: Date,
): Promise<void> {
  const site = siteConfig(env);
  const url = `${site.url}${DEVICE_LINK_PATH}?token=${await deviceLinkToken(env, member, now)}`;
  const text = [
    `Someone, you we hope, signed in to ${site.name} with your password from a browser you have not used before,`,
    'while too many wrong passwords for your address have been tried elsewhere.',
    '',
    'To sign that browser in, open this link in it (it works once, for 15 minutes):',
    url,
    '',
    'If it was not you, your password is known to someone else: change it.',
  ].join('\n');
  await sendMail(
    env,
    {
      from: { name: site.name, address: site.newsletter.from },
      to: member.email,
      subject: `Sign in to ${site.name} on a new browser`,
      text,
      html: String(
        await html`<p>Someone, you we hope, signed in to ${site.name} with your password from a browser you have not used before, while too many wrong passwords for your address have been tried elsewhere.</p>
        <p><a href="${url}">Sign that browser in</a> (open it in that browser; it works once, for 15 minutes).</p>
        <p>If it was not you, your password is known to someone else: change it.</p>`,
      ),
    },
    { purpose: 'staff-device-link' },
  );
}
