import { seal, unseal } from '../lib/sealed';

/** How long a confirmation link works; unsubscribe links never expire (an old email's link must keep working). */
export const NOTIFY_CONFIRMATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** What a notification link names: the address to confirm, or what to stop (one article's emails, or all). */
export type NotifyLink =
  | { kind: 'confirm'; followerId: number; expiresAt: number }
  | { kind: 'thread'; followId: number }
  | { kind: 'all'; followerId: number };

const PURPOSE = 'comment-notify-link';
const MAX_TOKEN_LENGTH = 512;

/** A link's token: what it names, sealed (AES-GCM, a key derived from FORM_TOKEN_SECRET for this purpose alone). */
export const createNotifyToken = (env: Env, link: NotifyLink) =>
  seal(env.FORM_TOKEN_SECRET, PURPOSE, JSON.stringify(link));

export type NotifyTokenCheck<Kind> = { status: 'valid'; link: Kind } | { status: 'expired' } | { status: 'invalid' };

/** The link a token names if it is one of `kinds`, genuine and (for a confirmation) not expired. */
export async function checkNotifyToken<Kind extends NotifyLink['kind']>(
  env: Env,
  token: string | undefined,
  kinds: Kind[],
  now: number,
): Promise<NotifyTokenCheck<Extract<NotifyLink, { kind: Kind }>>> {
  const opened = token && token.length <= MAX_TOKEN_LENGTH ? await unseal(env.FORM_TOKEN_SECRET, PURPOSE, token) : '';
  if (!opened) return { status: 'invalid' };
  const link = JSON.parse(opened) as NotifyLink;
  if (!(kinds as string[]).includes(link.kind)) return { status: 'invalid' };
  if (link.kind === 'confirm' && link.expiresAt < now) return { status: 'expired' };
  return { status: 'valid', link: link as Extract<NotifyLink, { kind: Kind }> };
}

export const NOTIFY_CONFIRM_PATH = '/comments/notifications/confirm';
/** Both unsubscribe links, and the RFC 8058 one-click POST that mail providers send without an Origin. */
export const NOTIFY_UNSUBSCRIBE_PATH = '/comments/notifications/unsubscribe';

/** The absolute URL of a notification link (SITE_URL), its token sealed for it. */
export async function notifyLinkUrl(env: Env, siteUrl: string, link: NotifyLink): Promise<string> {
  const path = link.kind === 'confirm' ? NOTIFY_CONFIRM_PATH : NOTIFY_UNSUBSCRIBE_PATH;
  return `${siteUrl}${path}?token=${await createNotifyToken(env, link)}`;
}
