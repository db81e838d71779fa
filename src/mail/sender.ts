/** One email with a plain-text and an HTML part. */
export interface MailMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header fields, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  /** The sender sends one message per key at most (the bulk provider keeps keys for 24 hours). */
  idempotencyKey?: string;
}

/**
 * Why a sender did not take a message: `suppressed` (the address bounced or complained before: never
 * again), `invalid` (the message or address was refused: retrying will not help), `rate-limited` and
 * `unavailable` (try again later).
 */
export type RefusalKind = 'suppressed' | 'invalid' | 'rate-limited' | 'unavailable';

export class MailRefused extends Error {
  override readonly name = 'MailRefused';
  constructor(
    readonly kind: RefusalKind,
    message: string,
    /** When the sender said to come back, if it did. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type SenderName = 'email-service' | 'resend';

/** A way to send email: Cloudflare Email Service (transactional) or the bulk provider. */
export interface MailSender {
  readonly name: SenderName;
  /** Sends one message; resolves with the sender's id for it, or rejects (a MailRefused when the sender said why). */
  send(message: MailMessage): Promise<{ messageId: string }>;
  /**
   * Sends several messages in as few calls as the sender allows; each result is the message's id or
   * its refusal, in the order given.
   */
  sendMany(messages: MailMessage[]): Promise<({ messageId: string } | MailRefused)[]>;
}

/** Header values on one line, so that no value can add a header. */
export const oneLine = (value: string) => value.replace(/[\r\n\t]+/g, ' ');

/** Sends each message in turn, collecting each one's id or refusal. */
export async function sendEach(
  sender: Pick<MailSender, 'send'>,
  messages: MailMessage[],
): Promise<({ messageId: string } | MailRefused)[]> {
  const results: ({ messageId: string } | MailRefused)[] = [];
  for (const message of messages) {
    try {
      results.push(await sender.send(message));
    } catch (error) {
      results.push(error instanceof MailRefused ? error : new MailRefused('unavailable', String(error)));
    }
  }
  return results;
}
