import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { siteConfig } from '../../src/config';
import { emailServiceSender } from '../../src/mail/email-service';
import { senderFor, sendMail } from '../../src/mail/mailer';
import { resendSender } from '../../src/mail/resend';
import { type MailMessage, MailRefused } from '../../src/mail/sender';
import { bulkSenderEnv, FAKE_RESEND_URL, failNext, receivedBy } from '../support/bulk-sender';
import { watchMail } from '../support/newsletter-helpers';
import { uniqueEmail } from '../support/unique';

afterEach(() => {
  vi.restoreAllMocks();
});

const message = (to: string, extra: Partial<MailMessage> = {}): MailMessage => ({
  from: { name: 'The edgepress Brief', address: 'newsletter@localhost.example' },
  to,
  subject: 'Seoul–Moscow: a “pivot”?',
  text: 'Plain part: café',
  html: '<p>HTML part: café</p>',
  headers: { 'List-Unsubscribe': '<http://localhost:8787/newsletter/unsubscribe?token=1..x>' },
  ...extra,
});

const resend = () => resendSender({ apiUrl: FAKE_RESEND_URL, apiKey: 'test-resend-key' });

describe('choosing the sender', () => {
  it('sends issues and test sends through the bulk provider when one is configured, everything else through Email Service', () => {
    const bulk = bulkSenderEnv();
    for (const purpose of ['newsletter-issue', 'newsletter-test'] as const) {
      expect(senderFor(bulk, purpose).name, purpose).toBe('resend');
      expect(senderFor(env, purpose).name, purpose).toBe('email-service');
    }
    for (const purpose of [
      'newsletter-confirmation',
      'staff-invitation',
      'privacy-data-link',
      'comment-notify-confirmation',
      'comment-notification',
      'moderator-digest',
      'review-digest',
    ] as const) {
      expect(senderFor(bulk, purpose).name, purpose).toBe('email-service');
    }
  });

  it('refuses a bulk sender configured without its key, loudly', () => {
    expect(() => siteConfig({ ...env, NEWSLETTER_BULK_SENDER: 'resend' } as Env)).toThrow(/RESEND_API_KEY/);
  });

  it('an issue sent by sendMail reaches the provider, with its headers and parts, and nothing goes to Email Service', async () => {
    const to = uniqueEmail('bulk');
    const mail = watchMail();
    const { messageId } = await sendMail(bulkSenderEnv(), message(to), { purpose: 'newsletter-issue', deliveryId: 1 });
    const [received] = await receivedBy(to);
    expect(received).toMatchObject({
      id: messageId,
      endpoint: '/emails',
      email: {
        from: '"The edgepress Brief" <newsletter@localhost.example>',
        to: [to],
        subject: 'Seoul–Moscow: a “pivot”?',
        text: 'Plain part: café',
        html: '<p>HTML part: café</p>',
        headers: { 'List-Unsubscribe': '<http://localhost:8787/newsletter/unsubscribe?token=1..x>' },
      },
    });
    expect(mail.sent()).toEqual([]);
  });
});

describe('Email Service (the send_email binding, structured)', () => {
  it('hands the binding the structured message, and no value can add a header', async () => {
    const to = uniqueEmail('structured');
    const mail = watchMail();
    await emailServiceSender(env.EMAIL).send(
      message(to, {
        subject: 'A subject\r\nBcc: victim@example.com',
        headers: { 'List-Unsubscribe': '<x>\r\nBcc: victim@example.com' },
      }),
    );
    const [sent] = mail.to(to);
    expect(sent!.headers.subject).toBe('A subject Bcc: victim@example.com');
    expect(sent!.headers['list-unsubscribe']).toBe('<x> Bcc: victim@example.com');
    expect(sent!.headers.bcc).toBeUndefined();
    expect(sent!.text).toBe('Plain part: café');
    expect(sent!.html).toBe('<p>HTML part: café</p>');
  });

  it('reports a suppressed recipient as suppressed, and a rate limit as one to retry', async () => {
    // The local binding keeps no suppression list, so its documented refusals are played by the spy.
    const send = vi.spyOn(env.EMAIL, 'send');
    const refusal = (code: string) => Object.assign(new Error('refused'), { code });
    send
      .mockRejectedValueOnce(refusal('E_RECIPIENT_SUPPRESSED'))
      .mockRejectedValueOnce(refusal('E_RATE_LIMIT_EXCEEDED'));
    const sender = emailServiceSender(env.EMAIL);
    await expect(sender.send(message(uniqueEmail()))).rejects.toMatchObject({
      name: 'MailRefused',
      kind: 'suppressed',
    });
    await expect(sender.send(message(uniqueEmail()))).rejects.toMatchObject({ kind: 'rate-limited' });
  });
});

describe('Resend (against the local stand-in)', () => {
  it('sends once per idempotency key, however often it is called', async () => {
    const to = uniqueEmail('idempotent');
    const first = await resend().send(message(to, { idempotencyKey: `test-${to}` }));
    const again = await resend().send(message(to, { idempotencyKey: `test-${to}` }));
    expect(again).toEqual(first);
    expect(await receivedBy(to)).toHaveLength(1);
  });

  it('turns the documented errors into refusals: 422 invalid, 429 rate-limited with its retry-after, 500 and a wrong key unavailable', async () => {
    const to = uniqueEmail('refused');
    await failNext(to, 422);
    await expect(resend().send(message(to))).rejects.toMatchObject({ kind: 'invalid' });
    await failNext(to, 429);
    await expect(resend().send(message(to))).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 1 });
    await failNext(to, 500);
    await expect(resend().send(message(to))).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(
      resendSender({ apiUrl: FAKE_RESEND_URL, apiKey: 'wrong-key' }).send(message(to)),
    ).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('invalid_api_key') });
    expect(await receivedBy(to)).toEqual([]);
  });

  it('sends many in one batch call; when the batch is refused for one address, the others still go', async () => {
    const addresses = [uniqueEmail('batch'), uniqueEmail('batch'), uniqueEmail('batch')];
    const results = await resend().sendMany(addresses.map((to) => message(to)));
    for (const [i, to] of addresses.entries()) {
      const received = await receivedBy(to);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        endpoint: '/emails/batch',
        id: (results[i] as { messageId: string }).messageId,
      });
    }

    const [bad, ...good] = [uniqueEmail('bad'), uniqueEmail('good'), uniqueEmail('good')];
    await failNext(bad!, 422, 2);
    const mixed = await resend().sendMany([bad!, ...good].map((to) => message(to)));
    expect(mixed[0]).toBeInstanceOf(MailRefused);
    expect(mixed[0]).toMatchObject({ kind: 'invalid' });
    for (const to of good) expect(await receivedBy(to)).toHaveLength(1);
    expect(await receivedBy(bad!)).toEqual([]);
  });
});
