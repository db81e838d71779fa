import { seal, unseal } from '../lib/sealed';

/** How long the link in a data request's email works. */
export const DATA_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

const PURPOSE = 'privacy-data-link';

/**
 * The token of a data request's link: the address and an expiry, sealed (AES-GCM, a key derived
 * from FORM_TOKEN_SECRET for this purpose alone), so the address never appears in a URL or a log.
 */
export const createDataLinkToken = (env: Env, email: string, now: number) =>
  seal(env.FORM_TOKEN_SECRET, PURPOSE, JSON.stringify({ email, expiresAt: now + DATA_LINK_LIFETIME_MS }));

export type DataLinkCheck = { status: 'valid'; email: string } | { status: 'expired' } | { status: 'invalid' };

export async function checkDataLinkToken(env: Env, token: string, now: number): Promise<DataLinkCheck> {
  const opened = token.length <= 1024 ? await unseal(env.FORM_TOKEN_SECRET, PURPOSE, token) : undefined;
  if (!opened) return { status: 'invalid' };
  const { email, expiresAt } = JSON.parse(opened) as { email: string; expiresAt: number };
  return expiresAt < now ? { status: 'expired' } : { status: 'valid', email };
}
