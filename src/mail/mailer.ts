import { siteConfig } from '../config';
import { logEvent } from '../lib/log';
import { emailServiceSender } from './email-service';
import { resendSender } from './resend';
import type { MailMessage, MailSender } from './sender';

/** What a failed send is logged with: the kind of email and the request or delivery it belongs to, never the recipient. */
export interface MailContext {
  purpose:
    | 'newsletter-confirmation'
    | 'newsletter-issue'
    | 'newsletter-test'
    | 'staff-invitation'
    | 'staff-device-link'
    | 'sign-in-link'
    | 'email-change-link'
    | 'payment-failed'
    | 'gift-code'
    | 'privacy-data-link'
    | 'comment-notify-confirmation'
    | 'comment-notification'
    | 'moderator-digest'
    | 'review-digest';
  requestId?: string;
  deliveryId?: number;
  attempt?: number;
}

/** The emails that go through the bulk sender when one is configured; every other one is transactional. */
const BULK_PURPOSES: ReadonlySet<MailContext['purpose']> = new Set(['newsletter-issue', 'newsletter-test']);

/**
 * The sender for this kind of email: Cloudflare Email Service for transactional mail (confirmations,
 * notifications, invitations, digests, privacy links); the configured bulk provider for issues.
 */
export function senderFor(env: Env, purpose: MailContext['purpose']): MailSender {
  const { bulkSender } = siteConfig(env).newsletter;
  if (BULK_PURPOSES.has(purpose) && bulkSender.name === 'resend') {
    return resendSender({ apiUrl: bulkSender.apiUrl, apiKey: bulkSender.apiKey });
  }
  return emailServiceSender(env.EMAIL);
}

export function logSendFailure(context: MailContext, error: unknown): void {
  logEvent('error', 'mail.send-failed', {
    ...context,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
}

/**
 * Sends one email through the sender for its purpose (locally, Email Service writes it to files).
 * A refusal is logged (`mail.send-failed`) and thrown again for the caller to retry or give up.
 */
export async function sendMail(env: Env, message: MailMessage, context: MailContext): Promise<{ messageId: string }> {
  try {
    return await senderFor(env, context.purpose).send(message);
  } catch (error) {
    logSendFailure(context, error);
    throw error;
  }
}

/**
 * Sends the same email to each address, one `sendMail` each; a refusal is logged there and the
 * others still go. Returns how many were accepted.
 */
export async function sendMailToEach(
  env: Env,
  addresses: string[],
  message: Omit<MailMessage, 'to'>,
  context: MailContext,
): Promise<number> {
  let sent = 0;
  for (const to of addresses) {
    try {
      await sendMail(env, { ...message, to }, context);
      sent += 1;
    } catch {
      // Logged by sendMail.
    }
  }
  return sent;
}
