import { type MailMessage, MailRefused, type MailSender, oneLine, type RefusalKind, sendEach } from './sender';

/** The error codes the send_email binding throws (Email Service, Workers API), by what they mean for a retry. */
const REFUSALS: Record<string, RefusalKind> = {
  E_RECIPIENT_SUPPRESSED: 'suppressed',
  E_RECIPIENT_NOT_ALLOWED: 'invalid',
  E_VALIDATION_ERROR: 'invalid',
  E_FIELD_MISSING: 'invalid',
  E_SENDER_NOT_VERIFIED: 'invalid',
  E_RATE_LIMIT_EXCEEDED: 'rate-limited',
  E_DAILY_LIMIT_EXCEEDED: 'rate-limited',
};

/**
 * Cloudflare Email Service through the `send_email` binding, in its structured form: Email Service
 * builds the MIME message, signs it (DKIM) and keeps its own suppression list. Locally, wrangler
 * writes the text and HTML parts to files instead of delivering them.
 */
export function emailServiceSender(binding: SendEmail): MailSender {
  const sender: MailSender = {
    name: 'email-service',
    async send(message: MailMessage) {
      try {
        return await binding.send({
          from: { name: oneLine(message.from.name), email: message.from.address },
          to: message.to,
          subject: oneLine(message.subject),
          text: message.text,
          html: message.html,
          ...(message.headers
            ? { headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, oneLine(v)])) }
            : {}),
        });
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        const kind = typeof code === 'string' ? REFUSALS[code] : undefined;
        if (kind) throw new MailRefused(kind, `${code}: ${(error as Error).message}`);
        throw error;
      }
    },
    sendMany: (messages) => sendEach(sender, messages),
  };
  return sender;
}
