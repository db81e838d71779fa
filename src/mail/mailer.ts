import { EmailMessage } from 'cloudflare:email';
import { buildMimeMessage, type MailMessage } from '../lib/mime';

/** Sends one email through the `send_email` binding (locally, wrangler writes it to a file instead). */
export async function sendMail(env: Env, message: MailMessage): Promise<void> {
  const raw = buildMimeMessage(message, { messageId: crypto.randomUUID(), date: new Date() });
  await env.EMAIL.send(new EmailMessage(message.from.address, message.to, raw));
}
