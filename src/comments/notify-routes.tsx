import { type Context, Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { primaryDb } from '../db/client';
import { personalPage } from '../layout/personal-page';
import { checkNotifyToken, NOTIFY_CONFIRM_PATH, NOTIFY_UNSUBSCRIBE_PATH, type NotifyLink } from './notify-links';
import { confirmFollower, forgetFollower, unfollowArticle } from './notify-queries';
import {
  NotifyConfirmedPage,
  NotifyConfirmPage,
  NotifyLinkInvalidPage,
  NotifyUnsubscribedPage,
  NotifyUnsubscribePage,
} from './views/notify-pages';

/** The link a token names, or the page that says it is expired or not valid. */
async function linkOf<Kind extends NotifyLink['kind']>(c: Context<AppEnv>, token: string | undefined, kinds: Kind[]) {
  const check = await checkNotifyToken(c.env, token, kinds, Date.now());
  if (check.status === 'valid') return check.link;
  const expired = check.status === 'expired';
  return personalPage(
    c,
    expired ? 'Link expired' : 'Link not valid',
    <NotifyLinkInvalidPage expired={expired} />,
    expired ? 410 : 400,
  );
}

const postedFields = (c: Context<AppEnv>): Promise<Record<string, unknown>> => c.req.parseBody().catch(() => ({}));

/** Confirming an address for comment notifications, and stopping them: every change is a POST. */
export const notifyRoutes = new Hono<AppEnv>()
  .get(NOTIFY_CONFIRM_PATH, async (c) => {
    const token = c.req.query('token');
    const link = await linkOf(c, token, ['confirm']);
    if (link instanceof Response) return link;
    return personalPage(c, 'Confirm comment notifications', <NotifyConfirmPage token={token!} />);
  })
  .post(NOTIFY_CONFIRM_PATH, async (c) => {
    const { token } = await postedFields(c);
    const link = await linkOf(c, typeof token === 'string' ? token : undefined, ['confirm']);
    if (link instanceof Response) return link;
    if (!(await confirmFollower(primaryDb(c.env), link.followerId, new Date()))) {
      return personalPage(c, 'Link not valid', <NotifyLinkInvalidPage expired={false} />, 400);
    }
    return personalPage(c, 'Notifications are on', <NotifyConfirmedPage />);
  })
  .get(NOTIFY_UNSUBSCRIBE_PATH, async (c) => {
    const token = c.req.query('token');
    const link = await linkOf(c, token, ['thread', 'all']);
    if (link instanceof Response) return link;
    const action = `${NOTIFY_UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token!)}`;
    return personalPage(c, 'Stop comment emails', <NotifyUnsubscribePage action={action} all={link.kind === 'all'} />);
  })
  .post(NOTIFY_UNSUBSCRIBE_PATH, async (c) => {
    const link = await linkOf(c, c.req.query('token'), ['thread', 'all']);
    if (link instanceof Response) return link;
    const db = primaryDb(c.env);
    if (link.kind === 'all') await forgetFollower(db, link.followerId);
    else await unfollowArticle(db, link.followId);
    // RFC 8058: the mail provider's POST gets a plain 200 and nothing to render.
    if ((await postedFields(c))['List-Unsubscribe'] === 'One-Click') return c.body(null, 200);
    return personalPage(
      c,
      'You will get no more of these emails',
      <NotifyUnsubscribedPage all={link.kind === 'all'} />,
    );
  });
