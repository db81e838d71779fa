import { type Context, Hono } from 'hono';
import { createFactory } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { normalizeCommentEmail } from '../comments/normalize';
import { forgetFollowerByEmail } from '../comments/notify-queries';
import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import { personalPage } from '../layout/personal-page';
import { emailAddressSchema } from '../lib/email';
import { hmacSign } from '../lib/hmac';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { logEvent } from '../lib/log';
import { mailMember } from '../members/member-emails';
import { eraseMember } from '../members/member-queries';
import { eraseSubscriber } from '../newsletter/subscriber-queries';
import { purgeCommentPages } from '../page-cache/purge';
import { erasePaidData } from '../paid/paid-privacy';
import { articlePath, PRIVACY_PATH } from '../paths';
import { describeWait, rateLimit } from '../rate-limit';
import { checkDataLinkToken, createDataLinkToken, DATA_LINK_LIFETIME_MS } from './link-token';
import { eraseComments, holdsDataFor, type ReaderData, readerData, subscriberIdsByEmail } from './queries';
import { storedItems } from './statement';
import {
  DataActionsPage,
  DataLinkInvalidPage,
  DataRequestSentPage,
  ErasedPage,
  PrivacyPage,
} from './views/privacy-pages';

const REQUESTED_PATH = `${PRIVACY_PATH}/requested`;
const dataPath = (token: string) => `${PRIVACY_PATH}/data?token=${encodeURIComponent(token)}`;

/** Requests allowed an hour per network (/24, /48) and per address: each may send an email. */
const REQUESTS_PER_NETWORK_PER_HOUR = 10;
const REQUESTS_PER_ADDRESS_PER_HOUR = 3;

function privacyPage(c: Context<AppEnv>, status: ContentfulStatusCode, email?: string, error?: string) {
  const site = siteConfig(c.env);
  return personalPage(
    c,
    'Your data',
    <PrivacyPage
      siteName={site.name}
      items={Object.values(storedItems(site))}
      linkLifetimeHours={DATA_LINK_LIFETIME_MS / 3_600_000}
      email={email}
      error={error}
    />,
    status,
  );
}

const requestSchema = z.object({ email: emailAddressSchema });
const tokenSchema = z.object({ token: z.string().max(1024) });

const submittedEmail = (submitted: unknown) => {
  const email = submitted && typeof submitted === 'object' ? (submitted as Record<string, unknown>).email : undefined;
  return typeof email === 'string' ? email : undefined;
};

async function mailDataLink(env: Env, db: Db, email: string, now: number): Promise<void> {
  const site = siteConfig(env);
  const url = site.url + dataPath(await createDataLinkToken(env, email, now));
  const intro = `Someone, probably you, asked ${site.name} for the data stored under this address. Open this link to download it or erase it (it works for ${DATA_LINK_LIFETIME_MS / 3_600_000} hours):`;
  const ignore = 'If you did not ask, ignore this message: nothing happens until the buttons on that page are pressed.';
  await mailMember(
    env,
    db,
    {
      from: { name: site.name, address: site.newsletter.from },
      to: email,
      subject: `Your data at ${site.name}`,
      text: `${intro}\n\n${url}\n\n${ignore}\n`,
      html: String(
        <html lang="en">
          <body>
            <p>{intro}</p>
            <p>
              <a href={url}>{url}</a>
            </p>
            <p>{ignore}</p>
          </body>
        </html>,
      ),
    },
    { purpose: 'privacy-data-link' },
  );
}

/** The address a data link's posted token stands for, or the page saying it is not valid or expired. */
async function linkEmail(c: Context<AppEnv>, token: string): Promise<string | Response> {
  const check = await checkDataLinkToken(c.env, token, Date.now());
  if (check.status === 'valid') return check.email;
  const expired = check.status === 'expired';
  return personalPage(
    c,
    expired ? 'Link expired' : 'Link not valid',
    <DataLinkInvalidPage expired={expired} />,
    expired ? 410 : 400,
  );
}

/** The address's comment notifications, as the export states them: the address, then each article it follows. */
function commentNotifications(rows: ReaderData['notifications']) {
  const [first] = rows;
  if (!first) return null;
  return {
    email: first.email,
    status: first.status,
    confirmedAt: first.confirmedAt,
    following: rows.flatMap(({ email, status, confirmedAt, ...article }) => (article.followingSince ? [article] : [])),
  };
}

const followedArticles = (data: ReaderData) => commentNotifications(data.notifications)?.following.length ?? 0;

const tokenForm = validInput('form', tokenSchema, (c) =>
  personalPage(c, 'Link not valid', <DataLinkInvalidPage expired={false} />, 400),
);

const factory = createFactory<AppEnv>();

/** The privacy page: what is stored, and the form that asks for a link to one's own data. */
const showPrivacy = factory.createHandlers((c) => privacyPage(c, 200));

/** A request for one's data: the link is mailed (only if anything is stored), within the rate limits. */
const requestDataLink = factory.createHandlers(
  validInput('form', requestSchema, (c, error, submitted) =>
    privacyPage(c, 422, submittedEmail(submitted), error.issues[0]?.message),
  ),
  rateLimit<AppEnv, typeof PRIVACY_PATH, { in: { form: { email: string } }; out: { form: { email: string } } }>({
    namespace: (c) => c.env.RATE_LIMITER,
    keys: async (c) => [
      {
        key: `privacy-ip:${ipGroup(clientAddress(c) ?? '')}`,
        rules: [
          {
            limit: REQUESTS_PER_NETWORK_PER_HOUR,
            windowSeconds: 3600,
            message: 'There have been too many data requests from your network.',
          },
        ],
      },
      {
        key: `privacy-email:${await hmacSign(c.env.IP_HASH_SALT, c.req.valid('form').email.toLowerCase())}`,
        personal: true,
        rules: [
          {
            limit: REQUESTS_PER_ADDRESS_PER_HOUR,
            windowSeconds: 3600,
            message: 'A link has been asked for this address several times in the last hour.',
          },
        ],
      },
    ],
    onLimited: (c, { rule, retryAfterSeconds }) =>
      privacyPage(
        c,
        429,
        c.req.valid('form').email,
        `${rule.message} Please try again in ${describeWait(retryAfterSeconds)}.`,
      ),
  }),
  async (c) => {
    const { email } = c.req.valid('form');
    const db = primaryDb(c.env);
    // The same answer, as fast, whether anything is stored for the address or not.
    c.executionCtx.waitUntil(
      (async () => {
        if (await holdsDataFor(db, email)) await mailDataLink(c.env, db, email, Date.now());
      })().catch((error: unknown) =>
        logEvent('error', 'privacy.link-not-sent', {
          requestId: c.var.requestId,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    );
    return c.redirect(REQUESTED_PATH, 303);
  },
);

/** The page after a request: check your inbox. */
const showRequested = factory.createHandlers((c) => personalPage(c, 'Check your inbox', <DataRequestSentPage />));

/** The data link's page: what is stored for the address, with buttons to download or erase it. */
const showDataActions = factory.createHandlers(async (c) => {
  const token = c.req.query('token') ?? '';
  const email = await linkEmail(c, token);
  if (email instanceof Response) return email;
  const data = await readerData(primaryDb(c.env), email);
  return personalPage(
    c,
    'Your data',
    <DataActionsPage
      token={token}
      account={data.account !== null}
      comments={data.comments.length}
      subscriptions={data.subscriptions.length}
      followedArticles={followedArticles(data)}
    />,
  );
});

/** Downloads everything stored for the link's address as a JSON file. */
const exportData = factory.createHandlers(tokenForm, async (c) => {
  const email = await linkEmail(c, c.req.valid('form').token);
  if (email instanceof Response) return email;
  const site = siteConfig(c.env);
  const data = await readerData(primaryDb(c.env), email);
  const document = {
    site: site.url,
    exportedAt: new Date().toISOString(),
    account: data.account,
    paidAccess: data.paidAccess,
    comments: data.comments.map(({ articleSlug, articlePublishedAt, ...comment }) => ({
      ...comment,
      url: site.url + articlePath({ slug: articleSlug, publishedAt: articlePublishedAt }, site.timeZone),
    })),
    newsletterSubscriptions: data.subscriptions,
    commentNotifications: commentNotifications(data.notifications),
  };
  c.header('Cache-Control', 'private, no-store');
  c.header('Content-Disposition', `attachment; filename="${site.name}-your-data.json"`);
  return c.body(JSON.stringify(document, null, 2), 200, { 'Content-Type': 'application/json; charset=UTF-8' });
});

/** Erases the link's address: its account (signing it out everywhere, its paid subscription cancelled in Stripe), comments, newsletter subscriptions and comment notifications. */
const eraseData = factory.createHandlers(tokenForm, async (c) => {
  const email = await linkEmail(c, c.req.valid('form').token);
  if (email instanceof Response) return email;
  const db = primaryDb(c.env);
  const now = new Date();
  const before = await readerData(db, email);
  // First: a subscription Stripe cannot cancel now leaves everything as it was, for a later try.
  const cancelledSubscriptions = await erasePaidData(c.env, db, email);
  const articleIds = await eraseComments(db, email, now);
  const subscriberIds = await subscriberIdsByEmail(db, email);
  for (const id of subscriberIds) await eraseSubscriber(db, id, now);
  const notificationAddresses = await forgetFollowerByEmail(db, normalizeCommentEmail(email));
  const accounts = await eraseMember(db, email);
  await purgeCommentPages(c.env, articleIds);
  logEvent('info', 'privacy.erased', {
    requestId: c.var.requestId,
    comments: before.comments.length,
    subscriptions: subscriberIds.length,
    notificationAddresses,
    accounts,
    cancelledSubscriptions,
  });
  return personalPage(
    c,
    'Your data has been erased',
    <ErasedPage
      account={accounts > 0}
      comments={before.comments.length}
      subscriptions={subscriberIds.length}
      followedArticles={followedArticles(before)}
    />,
  );
});

/** The privacy page, and readers' requests for their data and its erasure (links mailed, acted on by POST). */
export const privacyRoutes = new Hono<AppEnv>()
  .get(PRIVACY_PATH, ...showPrivacy)
  .post(PRIVACY_PATH, ...requestDataLink)
  .get(REQUESTED_PATH, ...showRequested)
  .get(`${PRIVACY_PATH}/data`, ...showDataActions)
  .post(`${PRIVACY_PATH}/data/export`, ...exportData)
  .post(`${PRIVACY_PATH}/data/erase`, ...eraseData);
