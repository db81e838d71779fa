import { z } from 'zod';

/** "Reader@Example.COM " → "Reader@example.com": the domain part is case-insensitive, the local part may not be. */
export function normaliseEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at) + email.slice(at).toLowerCase();
}

/**
 * The key that stands for one mailbox wherever limits and identities are kept: the whole address in
 * lower case. RFC 5321 lets a local part be case-sensitive, but no mail provider in use treats
 * `Reader@` and `reader@` as two mailboxes, and counting them apart let one mailbox be mailed once per
 * spelling. Mail still goes to the address as it was typed.
 */
export const mailboxKey = (email: string) => email.trim().toLowerCase();

/** The longest address SMTP can carry (RFC 5321's path limit). */
export const EMAIL_MAX_LENGTH = 254;

/** A reader's email address: required, valid, normalised. */
export const emailAddressSchema = z
  .string({ error: 'Please enter your email address.' })
  .trim()
  .min(1, 'Please enter your email address.')
  .max(EMAIL_MAX_LENGTH, `Your email address can be at most ${EMAIL_MAX_LENGTH} characters long.`)
  .pipe(z.email('Please enter a valid email address, like name@example.com.'))
  .transform(normaliseEmail);
