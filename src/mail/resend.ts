import { sha256Hex } from '../lib/hash';
import { type MailMessage, MailRefused, type MailSender, oneLine, type RefusalKind, sendEach } from './sender';

/** Resend's /emails/batch takes at most this many emails a call. */
export const RESEND_BATCH_LIMIT = 100;

/** A message as Resend's POST /emails (and each item of /emails/batch) takes it. */
function resendEmail(message: MailMessage) {
  return {
    from: `${JSON.stringify(oneLine(message.from.name))} <${message.from.address}>`,
    to: [message.to],
    subject: oneLine(message.subject),
    text: message.text,
    html: message.html,
    ...(message.headers
      ? { headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, oneLine(value)])) }
      : {}),
  };
}

/** Resend's documented error answers: 422 validation, 429 rate limit (with retry-after), 5xx. */
function refusalKind(status: number, name: string | undefined): RefusalKind {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  // 401/403 (missing or invalid key) are configuration mistakes: the message itself may be fine.
  if (status === 401 || status === 403) return 'unavailable';
  return name === 'validation_error' || status === 422 || status === 400 ? 'invalid' : 'unavailable';
}

async function refusal(response: Response): Promise<MailRefused> {
  const body = (await response.json().catch(() => null)) as { name?: string; message?: string } | null;
  const retryAfter = Number(response.headers.get('retry-after'));
  return new MailRefused(
    refusalKind(response.status, body?.name),
    `resend ${response.status} ${body?.name ?? ''}: ${body?.message ?? response.statusText}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/**
 * Resend's HTTP API (https://resend.com/docs/api-reference): POST /emails for one, POST /emails/batch
 * for up to 100, a Bearer key, an Idempotency-Key so a repeated call sends nothing twice.
 */
export function resendSender({ apiUrl, apiKey }: { apiUrl: string; apiKey: string }): MailSender {
  const post = (path: string, body: unknown, idempotencyKey?: string) =>
    fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${apiKey}`,
        'Content-Type': 'application/json',
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });

  const sender: MailSender = {
    name: 'resend',
    async send(message) {
      const response = await post('/emails', resendEmail(message), message.idempotencyKey);
      if (!response.ok) throw await refusal(response);
      const { id } = (await response.json()) as { id: string };
      return { messageId: id };
    },
    async sendMany(messages) {
      const results: ({ messageId: string } | MailRefused)[] = [];
      for (let start = 0; start < messages.length; start += RESEND_BATCH_LIMIT) {
        const chunk = messages.slice(start, start + RESEND_BATCH_LIMIT);
        const keys = chunk.map((message) => message.idempotencyKey);
        const response = await post(
          '/emails/batch',
          chunk.map(resendEmail),
          keys.every(Boolean) ? `batch-${await sha256Hex(keys.join(','))}` : undefined,
        );
        if (response.ok) {
          const { data } = (await response.json()) as { data: { id: string }[] };
          results.push(...chunk.map((_, i) => ({ messageId: data[i]!.id })));
        } else if (response.status === 422 && chunk.length > 1) {
          // One invalid email refuses the whole batch: send them one by one, so only that one fails.
          results.push(...(await sendEach(sender, chunk)));
        } else {
          const refused = await refusal(response);
          results.push(...chunk.map(() => refused));
        }
      }
      return results;
    },
  };
  return sender;
}
