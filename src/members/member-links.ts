import { html } from 'hono/html';
import { siteConfig } from '../config';
import type { Db } from '../db/client';
import type { MemberLinkPurpose } from '../db/schema';
import { sha256Hex } from '../lib/hash';
import { ACCOUNT_PATH } from '../paths';
import { mailMember } from './member-emails';
import { insertMemberLink, takeMemberLink } from './member-queries';
import { randomToken } from './member-session';

/** What an emailed link opens: a page whose button (a POST) uses it, so a mail scanner following links uses nothing. */
export const MEMBER_LINK_PATH = `${ACCOUNT_PATH}/link`;
export const MEMBER_LINK_LIFETIME_MS = 20 * 60 * 1000;
const LIFETIME_MINUTES = MEMBER_LINK_LIFETIME_MS / 60_000;

const linkId = (token: string) => sha256Hex(`member-link|${token}`);

const WORDING: Record<
  MemberLinkPurpose,
  {
    mailPurpose: 'sign-in-link' | 'email-change-link';
    subject: (site: string) => string;
    intro: (site: string) => string;
    action: string;
  }
> = {
  'sign-in': {
    mailPurpose: 'sign-in-link',
    subject: (site) => `Sign in to ${site}`,
    intro: (site) =>
      `Someone, you we hope, asked to sign in to ${site} with this address. If you have no account yet, this link makes one.`,
    action: 'Sign in',
  },
  'email-change': {
    mailPurpose: 'email-change-link',
    subject: (site) => `Confirm your new address at ${site}`,
    intro: (site) => `Someone, you we hope, asked to move their ${site} account to this address.`,
    action: 'Use this address',
  },
};

/**
 * Mails a link that works once, for 20 minutes: only a hash of its token is stored. The email is the
 * same whether the address has an account or not, and it is sent after the answer (`defer`), so
 * neither the answer nor its time tells anyone which addresses have one. Once sent, it goes in the
 * history of the member it is for (`mailMember`): none for an address that is no member's yet.
 */
export async function mailMemberLink(
  env: Env,
  db: Db,
  link: { purpose: MemberLinkPurpose; email: string; memberId?: number; now: Date; requestId?: string },
  defer: (task: Promise<unknown>) => void,
): Promise<void> {
  const token = randomToken();
  await insertMemberLink(db, {
    ...link,
    id: await linkId(token),
    expiresAt: new Date(link.now.getTime() + MEMBER_LINK_LIFETIME_MS),
  });
  const site = siteConfig(env);
  const url = `${site.url}${MEMBER_LINK_PATH}?token=${token}`;
  const words = WORDING[link.purpose];
  const ignore = 'If it was not you, ignore this message: nothing happens unless the link is opened.';
  defer(
    mailMember(
      env,
      db,
      {
        from: { name: site.name, address: site.newsletter.from },
        to: link.email,
        subject: words.subject(site.name),
        text: [
          words.intro(site.name),
          '',
          `${words.action} (the link works once, for ${LIFETIME_MINUTES} minutes):`,
          url,
          '',
          ignore,
        ].join('\n'),
        html: String(
          await html`<p>${words.intro(site.name)}</p>
          <p><a href="${url}">${words.action}</a> (the link works once, for ${LIFETIME_MINUTES} minutes).</p>
          <p>${ignore}</p>`,
        ),
      },
      {
        purpose: words.mailPurpose,
        requestId: link.requestId,
        newAddressOf: link.purpose === 'email-change' ? link.memberId : undefined,
      },
    ).catch(() => undefined),
  );
}

/** The link a token opens, taken out of the table (it works once), if it exists and has not expired. */
export async function useMemberLink(db: Db, token: string, now: Date) {
  const link = await takeMemberLink(db, await linkId(token));
  return link && link.expiresAt > now ? link : undefined;
}
