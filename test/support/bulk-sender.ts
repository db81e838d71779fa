import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import type { ReceivedEmail } from './fake-resend';

export const FAKE_RESEND_URL = inject('fakeResendUrl');

/** The Worker's environment with Resend as its bulk sender, Resend being the local stand-in the suite started. */
export function bulkSenderEnv(vars: Record<string, string> = {}): Env {
  return {
    ...env,
    NEWSLETTER_BULK_SENDER: 'resend',
    RESEND_API_URL: FAKE_RESEND_URL,
    RESEND_API_KEY: 'test-resend-key',
    ...vars,
  } as Env;
}

/** What the stand-in accepted for this address. */
export async function receivedBy(to: string): Promise<ReceivedEmail[]> {
  const response = await fetch(`${FAKE_RESEND_URL}/_fake/emails?to=${encodeURIComponent(to)}`);
  return response.json();
}

/** The next `times` calls carrying a message to `to` get this documented error answer. */
export async function failNext(to: string, status: 422 | 429 | 500, times = 1): Promise<void> {
  await fetch(`${FAKE_RESEND_URL}/_fake/fail`, { method: 'POST', body: JSON.stringify({ to, status, times }) });
}
