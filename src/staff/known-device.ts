import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import { hmacSign, hmacVerify } from '../lib/hmac';

/**
 * A browser an editor has signed in on: a signed, HttpOnly cookie, sent only to the sign-in form,
 * naming the email it signed in with. It exempts that editor from the per-email limit on failed
 * attempts (a distributed guesser's), never from the per-network ones.
 */
const KNOWN_DEVICE_COOKIE = 'editor_device';
const SIGN_IN_PATH = '/admin/sign-in';
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const signed = (email: string) => `editor-device|${email}`;

export async function isKnownDevice(c: Context<AppEnv>, email: string): Promise<boolean> {
  const signature = getCookie(c, KNOWN_DEVICE_COOKIE);
  return signature !== undefined && (await hmacVerify(c.env.FORM_TOKEN_SECRET, signed(email), signature));
}

export async function rememberDevice(c: Context<AppEnv>, email: string): Promise<void> {
  setCookie(c, KNOWN_DEVICE_COOKIE, await hmacSign(c.env.FORM_TOKEN_SECRET, signed(email)), {
    path: SIGN_IN_PATH,
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    maxAge: MAX_AGE_SECONDS,
  });
}
