import type { Db } from '../db/client';
import type { MemberEmailPurpose, MemberEmailSentTo } from '../db/schema';
import { logEvent } from '../lib/log';
import { sendMail } from '../mail/mailer';
import type { MailMessage } from '../mail/sender';
import { insertMemberEmail } from './member-queries';

/** Each kind of email in a member's history, as the admin names it. */
export const MEMBER_EMAIL_NAMES: Record<MemberEmailPurpose, string> = {
  'sign-in-link': 'Sign-in link',
  'email-change-link': 'New address confirmation',
  'payment-failed': 'Payment failed',
  'gift-code': 'Gift code',
  'privacy-data-link': 'Link to their data',
};

export const MEMBER_EMAIL_SENT_TO_NAMES: Record<MemberEmailSentTo, string> = {
  account: 'Their address',
  'new-address': 'The new address they asked for',
};

/**
 * Sends an email about a member's account and, once the sender has taken it, records it in the
 * member's history: for `newAddressOf` (the member moving to the address it goes to), or else for the
 * member who has that address, if anyone has. A send that fails throws, as `sendMail` does, and is not
 * recorded; a history write that fails is logged and does not undo the send.
 */
export async function mailMember(
  env: Env,
  db: Db,
  message: MailMessage,
  context: { purpose: MemberEmailPurpose; requestId?: string; newAddressOf?: number },
): Promise<void> {
  const { newAddressOf, ...mailContext } = context;
  await sendMail(env, message, mailContext);
  try {
    await insertMemberEmail(db, { purpose: context.purpose, address: message.to, newAddressOf, sentAt: new Date() });
  } catch (error) {
    logEvent('error', 'member-email.not-recorded', {
      ...mailContext,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
