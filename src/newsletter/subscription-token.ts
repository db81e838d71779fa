import { hmacSign, hmacVerify } from '../lib/hmac';

/** What a newsletter link lets its holder do: confirm a signup, or unsubscribe (and ask for erasure). */
export type SubscriptionTokenPurpose = 'confirm' | 'unsubscribe';

export const CONFIRMATION_TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type SubscriptionTokenCheck =
  | { status: 'valid'; subscriberId: number }
  | { status: 'expired' }
  | { status: 'invalid' };

const signedText = (purpose: SubscriptionTokenPurpose, subscriberId: number, expiresAt: string) =>
  `newsletter-${purpose}|${subscriberId}|${expiresAt}`;

/**
 * A link token `<subscriberId>.<expiresAt in s>.<signature>`, signed for one purpose. Confirmation
 * tokens expire after 7 days; unsubscribe tokens never do (an old issue's link must keep working),
 * so theirs is `<subscriberId>..<signature>`.
 */
export async function createSubscriptionToken(
  secret: string,
  purpose: SubscriptionTokenPurpose,
  subscriberId: number,
  now: number,
): Promise<string> {
  const expiresAt = purpose === 'confirm' ? String(Math.floor((now + CONFIRMATION_TOKEN_LIFETIME_MS) / 1000)) : '';
  return `${subscriberId}.${expiresAt}.${await hmacSign(secret, signedText(purpose, subscriberId, expiresAt))}`;
}

export async function checkSubscriptionToken(
  secret: string,
  purpose: SubscriptionTokenPurpose,
  token: string,
  now: number,
): Promise<SubscriptionTokenCheck> {
  const match = /^([1-9]\d{0,14})\.(\d{10,12})?\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { status: 'invalid' };
  const [, id, expiresAt = '', signature] = match;
  const subscriberId = Number(id);
  if (!(await hmacVerify(secret, signedText(purpose, subscriberId, expiresAt), signature!)))
    return { status: 'invalid' };
  if (expiresAt && Number(expiresAt) * 1000 < now) return { status: 'expired' };
  return { status: 'valid', subscriberId };
}
