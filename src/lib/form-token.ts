import { hmacSign, hmacVerify, toBase64Url } from './hmac';

export const FORM_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type FormTokenCheck = 'valid' | 'expired' | 'invalid';

/**
 * A signed, timestamped token put in a form when the page is rendered: `<issuedAt>.<nonce>.<signature>`,
 * bound to one form (the `scope`, e.g. an article's comment form); the random nonce makes every token
 * distinct, so a form may allow each a single use. The page it sits in may be served from the shared
 * cache, so its age is the cached copy's age: that is why no minimum age is asked (a "sent too soon
 * after the page was served" rule would only ever see the cached copy's age, and pass every bot).
 * Pages are cached for less than FORM_TOKEN_MAX_AGE_MS (checked in config.ts), so no cached page
 * carries an expired token.
 */
export async function createFormToken(secret: string, scope: string, issuedAt: number): Promise<string> {
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
  return `${issuedAt}.${nonce}.${await hmacSign(secret, `${scope}|${issuedAt}|${nonce}`)}`;
}

export async function checkFormToken(
  secret: string,
  scope: string,
  token: string,
  now: number,
): Promise<FormTokenCheck> {
  const match = /^(\d{13})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || !(await hmacVerify(secret, `${scope}|${match[1]}|${match[2]}`, match[3]!))) return 'invalid';
  if (now - Number(match[1]) > FORM_TOKEN_MAX_AGE_MS) return 'expired';
  return 'valid';
}
