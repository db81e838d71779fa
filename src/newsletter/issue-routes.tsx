import { type Context, Hono } from 'hono';
import { createFactory } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import type { IssueStatus, NewsletterIssue, newsletterIssues } from '../db/schema';
import { doneMessages } from '../layout/done-messages';
import { fromLocalDateTime } from '../lib/dates';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { sendMail } from '../mail/mailer';
import { requireRole } from '../staff/require-role';
import {
  ISSUE_FIELDS,
  type IssueField,
  issueInputSchema,
  scheduleInputSchema,
  sendInputSchema,
} from './editorial-input';
import {
  issueArticles,
  issueSnapshot,
  nextIssueWeek,
  nextWeeklySend,
  recentArticles,
  recordNextIssue,
  renderIssue,
} from './issue';
import { deliveryCounts, issueById, issueForWeek, latestIssues, transitionIssue } from './issue-queries';
import { releaseIssue } from './release';
import { issueMail } from './send';
import { subscriberMailbox, unsubscribePath } from './signup';
import { subscriberIdOf } from './subscriber-queries';
import { createSubscriptionToken } from './subscription-token';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from './views/emails';
import type { IssueFormValues, IssuePageProps } from './views/issue-form';
import { IssuesPage } from './views/issue-list-page';
import { IssuePage } from './views/issue-page';
import { ISSUES_PATH } from './views/issue-status';

const issuePath = (id: number) => `${ISSUES_PATH}/${id}`;
const ID = ':id{[0-9]{1,9}}';
const PAST_ISSUES = 20;
/** How far back the editor's form offers articles to add. */
const CANDIDATE_DAYS = 14;

/** What an unsubscribe link is in a preview or a test for someone who is not on the list: it says so, and leads nowhere. */
export const SAMPLE_UNSUBSCRIBE_TOKEN = 'sample-link-you-are-not-a-subscriber';

/**
 * The unsubscribe link as this address would get it: its own signed link if it is on the list, else a
 * sample that says what it is (and opens the "link not valid" page).
 */
async function unsubscribeUrlFor(env: Env, db: Db, email: string): Promise<string> {
  const id = await subscriberIdOf(db, await subscriberMailbox(env, email));
  const token =
    id === undefined
      ? SAMPLE_UNSUBSCRIBE_TOKEN
      : await createSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, 'unsubscribe', id, Date.now());
  return siteConfig(env).url + unsubscribePath(token);
}

/** The issue as subscribers get it if it went out now: the stored parts once it is sent, else rendered afresh. */
async function issueAsSent(env: Env, db: Db, issue: NewsletterIssue, now: Date) {
  if (issue.status === 'sent') return issue;
  const snapshot = await issueSnapshot(env, db, issue, now);
  return { ...issue, ...(await renderIssue(env, { number: issue.number, subject: issue.subject, snapshot })) };
}

const done = doneMessages({
  saved: 'The issue is saved.',
  tested: 'The test is on its way.',
  sent: 'The issue is on its way to every confirmed subscriber.',
  'sent-paid': 'The issue is on its way to every confirmed subscriber who is a member with paid access.',
  'sent-local-hour':
    'The issue is sent: each confirmed subscriber’s copy goes out at the hour below, in their time zone.',
  scheduled: 'The issue is scheduled.',
  cancelled: 'The issue is cancelled: the weekly send will not send it.',
  reopened: 'The issue is a draft again: the weekly send will send it unless you send, schedule or cancel it.',
});

type FormState = Pick<
  IssuePageProps,
  'errors' | 'message' | 'alert' | 'scheduleValue' | 'scheduleError' | 'sendError'
> & {
  values?: IssueFormValues;
};

async function issuePage(
  c: Context<AppEnv>,
  issue: NewsletterIssue,
  status: ContentfulStatusCode,
  form: FormState = {},
) {
  const db = primaryDb(c.env);
  const now = new Date();
  const { timeZone } = siteConfig(c.env);
  const [chosen, recent, counts, asSent] = await Promise.all([
    issueArticles(c.env, db, issue, now),
    recentArticles(c.env, db, now, CANDIDATE_DAYS),
    deliveryCounts(db, [issue.id]),
    issueAsSent(c.env, db, issue, now),
  ]);
  const chosenIds = new Set(chosen.map((article) => article.id));
  const values: IssueFormValues = form.values ?? {
    subject: issue.subject,
    preheader: issue.preheader,
    intro: issue.intro,
    closing: issue.closing,
    paidOnly: issue.paidOnly,
  };
  c.status(status);
  return c.render(
    <IssuePage
      issue={issue}
      values={values}
      articles={[
        ...chosen.map((article) => ({ ...article, included: true })),
        ...recent.filter((article) => !chosenIds.has(article.id)).map((article) => ({ ...article, included: false })),
      ]}
      automatic={issue.articleIds === null}
      counts={counts.get(issue.id)}
      text={asSent.text.replaceAll(
        UNSUBSCRIBE_URL_PLACEHOLDER,
        await unsubscribeUrlFor(c.env, db, c.var.staffMember.email),
      )}
      weeklySend={nextWeeklySend(now)}
      timeZone={timeZone}
      testAddresses={[c.var.staffMember.email, ...siteConfig(c.env).newsletter.testAddresses]}
      localHour={siteConfig(c.env).newsletter.localHour}
      {...form}
    />,
    { title: `Issue No. ${issue.number}` },
  );
}

/** The stored issue named in the path, or the 404 page. */
async function pathIssue(c: Context<AppEnv>) {
  return issueById(primaryDb(c.env), Number(c.req.param('id')));
}

/** Why an issue's state refuses what was asked: sent issues are frozen, cancelled ones must be reopened first. */
function refusedState(c: Context<AppEnv>, issue: NewsletterIssue) {
  const message =
    issue.status === 'sent'
      ? 'This issue has been sent: what subscribers received can no longer be changed.'
      : issue.status === 'cancelled'
        ? 'This issue is cancelled: reopen it first.'
        : 'This issue changed meanwhile: look at it again before you act.';
  return issuePage(c, issue, 409, { message, alert: true });
}

const EDITABLE = ['draft', 'scheduled'] as const satisfies NewsletterIssue['status'][];

/** A route that moves the path's issue from one of `from` to what `set` says, then shows it with what `said` says. */
const decision =
  (
    from: IssueStatus[],
    said: Parameters<typeof done.path>[1],
    set: (c: Context<AppEnv>) => Partial<typeof newsletterIssues.$inferInsert>,
  ) =>
  async (c: Context<AppEnv>) => {
    const issue = await pathIssue(c);
    if (!issue) return c.notFound();
    if (!(await transitionIssue(primaryDb(c.env), issue.id, from, set(c)))) return refusedState(c, issue);
    return c.redirect(done.path(issuePath(issue.id), said), 303);
  };

const factory = createFactory<AppEnv>();

/** The Issues page: the next issue, past issues and their sends. */
const listIssues = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const now = new Date();
  const [issues, next, weekly] = await Promise.all([
    latestIssues(db, PAST_ISSUES),
    issueForWeek(db, nextIssueWeek(c.env, now)),
    recentArticles(c.env, db, now, 7),
  ]);
  const counts = await deliveryCounts(
    db,
    issues.map((issue) => issue.id),
  );
  return c.render(
    <IssuesPage
      issues={issues}
      counts={counts}
      next={next}
      weekArticleCount={weekly.length}
      weeklySend={nextWeeklySend(now)}
      timeZone={siteConfig(c.env).timeZone}
    />,
    { title: 'Newsletter issues' },
  );
});

/** Records the issue editors write now as a draft (unless it already is), then opens it. */
const createIssue = factory.createHandlers(async (c) => {
  const issue = await recordNextIssue(c.env, primaryDb(c.env), new Date());
  return c.redirect(issuePath(issue.id), 303);
});

/** One issue's page: its form, articles, text as sent and actions, with what the last action did. */
const showIssue = factory.createHandlers(done.query, async (c) => {
  const issue = await pathIssue(c);
  if (!issue) return c.notFound();
  return issuePage(c, issue, 200, { message: done.message(c.req.valid('query')) });
});

/** Saves the issue's subject, preheader, intro and closing while it is a draft or scheduled. */
const saveIssue = factory.createHandlers(
  validInput('form', issueInputSchema, async (c, error, submitted) => {
    const issue = await pathIssue(c);
    if (!issue) return c.notFound();
    const values = submittedStrings(submitted, ['subject', 'preheader', 'intro', 'closing', 'paidOnly'] as const);
    return issuePage(c, issue, 422, {
      values: { subject: '', preheader: '', intro: '', closing: '', ...values, paidOnly: values.paidOnly === 'yes' },
      errors: firstErrorPerField<IssueField>(error, ISSUE_FIELDS),
      message: 'The issue was not saved: see the fields marked below.',
      alert: true,
    });
  }),
  async (c) => {
    const db = primaryDb(c.env);
    const issue = await pathIssue(c);
    if (!issue) return c.notFound();
    const input = c.req.valid('form');
    const saved = await transitionIssue(db, issue.id, [...EDITABLE], input);
    if (!saved) return refusedState(c, issue);
    return c.redirect(done.path(issuePath(issue.id), 'saved'), 303);
  },
);

/** The issue's HTML email as the staff member would get it, for the Issues page's frame. */
const previewIssue = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const issue = await pathIssue(c);
  if (!issue) return c.notFound();
  const sent = await issueAsSent(c.env, db, issue, new Date());
  const html = sent.html.replaceAll(
    UNSUBSCRIBE_URL_PLACEHOLDER,
    await unsubscribeUrlFor(c.env, db, c.var.staffMember.email),
  );
  return c.body(html, 200, {
    'Content-Type': 'text/html; charset=UTF-8',
    // Emails carry inline styles (mail clients need them) and remote images; still no script. The Issues page frames it.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; frame-ancestors 'self'",
    'X-Frame-Options': 'SAMEORIGIN',
  });
});

/** The issue's plain-text email as the staff member would get it. */
const previewIssueText = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const issue = await pathIssue(c);
  if (!issue) return c.notFound();
  const sent = await issueAsSent(c.env, db, issue, new Date());
  return c.text(
    sent.text.replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, await unsubscribeUrlFor(c.env, db, c.var.staffMember.email)),
  );
});

/** Mails a test of the issue to the staff member and the configured test addresses. */
const sendTestIssue = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const issue = await pathIssue(c);
  if (!issue) return c.notFound();
  const sent = await issueAsSent(c.env, db, issue, new Date());
  const recipients = [
    ...new Set([c.var.staffMember.email, ...siteConfig(c.env).newsletter.testAddresses].map((to) => to.toLowerCase())),
  ];
  // One after the other: a few sends, well inside a request's subrequests. No delivery is recorded.
  const failed: string[] = [];
  for (const to of recipients) {
    const message = issueMail(c.env, sent, to, await unsubscribeUrlFor(c.env, db, to));
    await sendMail(
      c.env,
      { ...message, subject: `[Test] ${message.subject}` },
      {
        purpose: 'newsletter-test',
        requestId: c.var.requestId,
      },
    ).catch(() => failed.push(to));
  }
  if (failed.length > 0)
    return issuePage(c, issue, 502, {
      message: `The test could not be sent to ${failed.join(', ')}: the mail service refused it. Try again in a moment.`,
      alert: true,
    });
  return c.redirect(done.path(issuePath(issue.id), 'tested'), 303);
});

/** Sends the issue to every confirmed subscriber now, or at the local hour in each one's time zone. */
const sendIssueNow = factory.createHandlers(async (c) => {
  const db = primaryDb(c.env);
  const issue = await pathIssue(c);
  if (!issue) return c.notFound();
  if (!(EDITABLE as readonly string[]).includes(issue.status)) return refusedState(c, issue);
  const { localHour } = siteConfig(c.env).newsletter;
  let deliverAt: number | null = null;
  if (localHour !== null) {
    const choice = sendInputSchema.safeParse(await c.req.parseBody());
    if (!choice.success) return issuePage(c, issue, 422, { sendError: choice.error.issues[0]?.message });
    if (choice.data.delivery === 'local-hour') deliverAt = localHour;
  }
  const released = await releaseIssue(c.env, db, issue, new Date(), c.var.staffMember.id, deliverAt);
  if (!released) {
    const now = await issueById(db, issue.id);
    if (now && now.status !== issue.status) return refusedState(c, now);
    return issuePage(c, issue, 422, {
      message: 'Choose at least one article before sending the issue.',
      alert: true,
    });
  }
  const said = deliverAt !== null ? 'sent-local-hour' : issue.paidOnly ? 'sent-paid' : 'sent';
  return c.redirect(done.path(issuePath(issue.id), said), 303);
});

/** Schedules the issue for a local date and time in the future. */
const scheduleIssue = factory.createHandlers(
  validInput('form', scheduleInputSchema, async (c, error, submitted) => {
    const issue = await pathIssue(c);
    if (!issue) return c.notFound();
    return issuePage(c, issue, 422, {
      scheduleValue: submittedStrings(submitted, ['at'] as const).at,
      scheduleError: error.issues[0]?.message,
    });
  }),
  async (c) => {
    const db = primaryDb(c.env);
    const issue = await pathIssue(c);
    if (!issue) return c.notFound();
    const { at } = c.req.valid('form');
    const { timeZone } = siteConfig(c.env);
    const when = fromLocalDateTime(at, timeZone);
    const now = new Date();
    const refuse = (scheduleError: string) => issuePage(c, issue, 422, { scheduleValue: at, scheduleError });
    if (!when) return refuse('There is no such day or time.');
    if (when.getTime() <= now.getTime()) return refuse('Choose a time in the future.');
    if ((await issueArticles(c.env, db, issue, when)).length === 0)
      return refuse('Choose at least one article before scheduling the issue.');
    const scheduled = await transitionIssue(db, issue.id, [...EDITABLE], {
      status: 'scheduled',
      scheduledAt: when,
      decidedBy: c.var.staffMember.id,
    });
    if (!scheduled) return refusedState(c, issue);
    return c.redirect(done.path(issuePath(issue.id), 'scheduled'), 303);
  },
);

/** Cancels a draft or scheduled issue: the weekly send skips it. */
const cancelIssue = factory.createHandlers(
  decision([...EDITABLE], 'cancelled', (c) => ({
    status: 'cancelled',
    scheduledAt: null,
    decidedBy: c.var.staffMember.id,
  })),
);

/** Makes a cancelled issue a draft again. */
const reopenIssue = factory.createHandlers(
  decision(['cancelled'], 'reopened', () => ({ status: 'draft', decidedBy: null })),
);

/** The admin's Issues page: write, preview, test and send the newsletter; past issues and their sends. */
export const issueRoutes = new Hono<AppEnv>()
  .get(ISSUES_PATH, requireRole('editor'), ...listIssues)
  .post(ISSUES_PATH, requireRole('editor'), ...createIssue)
  .get(`${ISSUES_PATH}/${ID}`, requireRole('editor'), ...showIssue)
  .post(`${ISSUES_PATH}/${ID}`, requireRole('editor'), ...saveIssue)
  .get(`${ISSUES_PATH}/${ID}/preview`, requireRole('editor'), ...previewIssue)
  .get(`${ISSUES_PATH}/${ID}/preview.txt`, requireRole('editor'), ...previewIssueText)
  .post(`${ISSUES_PATH}/${ID}/test`, requireRole('editor'), ...sendTestIssue)
  .post(`${ISSUES_PATH}/${ID}/send`, requireRole('editor'), ...sendIssueNow)
  .post(`${ISSUES_PATH}/${ID}/schedule`, requireRole('editor'), ...scheduleIssue)
  .post(`${ISSUES_PATH}/${ID}/cancel`, requireRole('editor'), ...cancelIssue)
  .post(`${ISSUES_PATH}/${ID}/reopen`, requireRole('editor'), ...reopenIssue);
