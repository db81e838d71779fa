/**
 * Editors' passwords: PBKDF2-SHA-256 with a 16-byte random salt per password, stored as
 * `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url). 100,000 iterations is the most the Workers
 * runtime allows. The same code runs in the Worker (sign-in) and in Node (`npm run staff:add`).
 */
import { fromBase64Url, toBase64Url } from './hmac.ts';

const ALGORITHM = 'pbkdf2-sha256';
/** Longer passwords are refused before hashing, so a sign-in cannot be made to burn CPU. */
export const PASSWORD_MAX_LENGTH = 200;

export const PASSWORD_ITERATIONS = 100_000;
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, PASSWORD_ITERATIONS);
  return [ALGORITHM, PASSWORD_ITERATIONS, toBase64Url(salt), toBase64Url(hash)].join('$');
}

/** True when `password` matches `stored`; compares in constant time. A malformed `stored` never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, iterations, salt, hash] = stored.split('$');
  if (algorithm !== ALGORITHM || !salt || !hash || Number(iterations) !== PASSWORD_ITERATIONS) return false;
  const expected = fromBase64Url(hash);
  const saltBytes = fromBase64Url(salt);
  if (!expected || !saltBytes) return false;
  const actual = await derive(password, saltBytes, PASSWORD_ITERATIONS);
  let difference = expected.length ^ actual.length;
  for (let i = 0; i < actual.length; i++) difference |= actual[i]! ^ (expected[i] ?? 0);
  return difference === 0;
}

/** A hash no password matches, verified when the email is unknown so that a miss takes as long as a hit. */
export const UNMATCHABLE_PASSWORD_HASH = `${ALGORITHM}$${PASSWORD_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
