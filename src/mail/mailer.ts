import { EmailMessage } from 'cloudflare:email';
import { logEvent } from '../lib/log';
import { buildMimeMessage, type MailMessage } from '../lib/mime';

/** What a failed send is logged with: the kind of email and the request or delivery it belongs to, never the recipient. */
export interface MailContext {
  purpose:
    | 'newsletter-confirmation'
    | 'newsletter-issue'
    | 'staff-invitation'
    | 'privacy-data-link'
    | 'comment-notify-confirmation'
    | 'comment-notification'
    | 'moderator-digest'
    | 'review-digest';
  requestId?: string;
  deliveryId?: number;
  attempt?: number;
}

/**
 * Sends one email through the `send_email` binding (locally, wrangler writes it to a file instead).
 * A refusal is logged (`mail.send-failed`) and thrown again for the caller to retry or give up.
 */
export async function sendMail(env: Env, message: MailMessage, context: MailContext): Promise<void> {
  const raw = buildMimeMessage(message, { messageId: crypto.randomUUID(), date: new Date() });
  try {
    await env.EMAIL.send(new EmailMessage(message.from.address, message.to, raw));
  } catch (error) {
    logEvent('error', 'mail.send-failed', {
      ...context,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
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
