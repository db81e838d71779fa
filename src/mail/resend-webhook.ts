import { z } from 'zod';

/** Where Resend posts its webhook events (src/newsletter/bounce-routes.ts): the address to register is SITE_URL followed by this. */
export const RESEND_WEBHOOK_PATH = '/api/newsletter/webhooks/resend';

/** Svix (which signs Resend's webhooks) refuses messages more than 5 minutes from now, either way: a replay is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const encoder = new TextEncoder();

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Whether a webhook request is Resend's, as Svix documents it: `svix-signature` holds one or more
 * `v1,<base64>` values, each an HMAC-SHA256 of `<svix-id>.<svix-timestamp>.<body>` keyed with the
 * base64 secret after `whsec_`; `svix-timestamp` (Unix seconds) must be within 5 minutes of now.
 */
export async function verifyResendWebhook(
  secret: string,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  nowMs: number,
): Promise<boolean> {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const keyBytes = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (!keyBytes || keyBytes.length === 0) return false;
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = encoder.encode(`${id}.${timestamp}.${body}`);
  for (const candidate of signature.split(' ')) {
    const [version, value] = candidate.split(',');
    const bytes = version === 'v1' && value ? fromBase64(value) : null;
    // crypto.subtle.verify compares in constant time.
    if (bytes && (await crypto.subtle.verify('HMAC', key, bytes, signed))) return true;
  }
  return false;
}

const eventSchema = z.object({
  type: z.string(),
  data: z
    .object({
      to: z.union([z.string(), z.array(z.string())]).optional(),
      bounce: z.object({ type: z.string().optional() }).loose().optional(),
    })
    .loose(),
});

/** What a Resend event means for the list: a hard bounce or a complaint suppresses the address; a soft bounce does not. */
export type DeliveryEvent =
  | { kind: 'hard-bounce' | 'complaint' | 'soft-bounce'; addresses: string[] }
  | { kind: 'other'; type: string };

type Suppression = Exclude<DeliveryEvent['kind'], 'other'>;

const EVENT_MEANINGS = {
  // Resend's bounce types are SES's: Permanent, Transient, Undetermined. Only a permanent one is final.
  'email.bounced': (data) => (data.bounce?.type === 'Transient' ? 'soft-bounce' : 'hard-bounce'),
  'email.complained': () => 'complaint',
} satisfies Record<string, (data: z.infer<typeof eventSchema>['data']) => Suppression>;

export type ResendWebhookEvent = keyof typeof EVENT_MEANINGS;

/** The Resend events readResendEvent acts on, so the ones to subscribe the webhook to (`npm run setup` prints them). */
export const RESEND_WEBHOOK_EVENTS = Object.keys(EVENT_MEANINGS) as ResendWebhookEvent[];

const isHandled = (type: string): type is ResendWebhookEvent => (RESEND_WEBHOOK_EVENTS as string[]).includes(type);

/** Reads a verified webhook body (https://resend.com/docs/webhooks): one of RESEND_WEBHOOK_EVENTS, or `other`. */
export function readResendEvent(body: string): DeliveryEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return null;
  const { type, data } = parsed.data;
  if (!isHandled(type)) return { kind: 'other', type };
  return { kind: EVENT_MEANINGS[type](data), addresses: [data.to ?? []].flat() };
}
