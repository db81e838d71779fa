import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { primaryDb } from '../../src/db/client';
import { isoWeek } from '../../src/lib/dates';
import { queueIssue, sendWeeklyIssue } from '../../src/newsletter/send';
import { checkSubscriptionToken } from '../../src/newsletter/subscription-token';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { fetchPage, visibleText } from '../support/helpers';
import { asMember, signedInMember } from '../support/member-helpers';
import {
  addSubscriber,
  insertDraftIssue,
  publishRecentArticle,
  recordTestIssue,
  watchMail,
} from '../support/newsletter-helpers';
import { deliveriesOf, providerSummary, simulatedQueue, throttledEnv } from '../support/simulated-queue';
import { uniqueEmail } from '../support/unique';

const DAY = 24 * 60 * 60 * 1000;
const ISSUES = '/admin/newsletter/issues';

afterEach(() => {
  vi.restoreAllMocks();
});

interface IssueRow {
  id: number;
  number: number;
  status: string;
  subject: string;
  intro: string;
  closing: string;
  article_ids: string | null;
  html: string;
  text: string;
  scheduled_at: number | null;
  sent_at: number | null;
  decided_by: number | null;
}
const issueRow = (id: number) =>
  env.DB.prepare('SELECT * FROM newsletter_issues WHERE id = ?').bind(id).first<IssueRow>() as Promise<IssueRow>;
const deliveryCount = async (id: number) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM newsletter_deliveries WHERE issue_id = ?')
    .bind(id)
    .first<number>('n')) ?? 0;

/** The form fields of the issue editor, as a browser would send them after the editor's changes. */
function issueForm(
  values: { subject: string; intro?: string; preheader?: string; closing?: string },
  articles: { id: number; position: string; include: boolean }[],
) {
  return {
    subject: values.subject,
    preheader: values.preheader ?? '',
    intro: values.intro ?? '',
    closing: values.closing ?? '',
    article: articles.map((article) => String(article.id)),
    position: articles.map((article) => article.position),
    include: articles.filter((article) => article.include).map((article) => String(article.id)),
  };
}

async function runMinuteJob(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

let editor: AdminSession;
let older: number;
let newer: number;
let issueId: number;

beforeAll(async () => {
  editor = await signedInStaff('editor');
  older = await publishRecentArticle('harbour-talks-open', 'Harbour Talks Open in Busan', 3 * DAY);
  newer = await publishRecentArticle('rice-prices-ease', 'Rice Prices Ease Across the Region', 1 * DAY);
});

describe('the Issues page', () => {
  it('records the next issue as a draft with the week’s articles, newest first, and lists it', async () => {
    const page = visibleText(await (await editor.get(ISSUES)).text());
    expect(page).toContain('Write the next issue');
    expect(page).toContain('Opens and clicks are not tracked');

    const created = await editor.post(ISSUES);
    expect(created.status).toBe(303);
    issueId = Number(/\/admin\/newsletter\/issues\/(\d+)$/.exec(created.headers.get('Location')!)![1]);
    // A second editor's click finds the same issue.
    expect((await editor.post(ISSUES)).headers.get('Location')).toBe(`${ISSUES}/${issueId}`);

    const row = await issueRow(issueId);
    expect(row).toMatchObject({ status: 'draft', article_ids: null });
    const html = await (await editor.get(`${ISSUES}/${issueId}`)).text();
    expect(html.indexOf('Rice Prices Ease')).toBeLessThan(html.indexOf('Harbour Talks Open'));
    expect(html).toMatch(new RegExp(`name="include" type="checkbox" value="${newer}" checked`));
    const list = visibleText(await (await editor.get(ISSUES)).text());
    expect(list).toContain(`No. ${row.number}: ${row.subject} (Draft)`);
  });

  it('saves the subject, preheader, Markdown introduction, closing note and the articles in the editor’s order', async () => {
    const saved = await editor.post(
      `${ISSUES}/${issueId}`,
      issueForm(
        {
          subject: 'Ports and prices',
          preheader: 'Two stories from the week',
          intro: 'Good morning.\n\nThis week: **harbours** first.',
          closing: 'See you _next week_.',
        },
        [
          { id: newer, position: '2', include: true },
          { id: older, position: '1', include: true },
        ],
      ),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe(`${ISSUES}/${issueId}?done=saved`);
    const row = await issueRow(issueId);
    expect(row).toMatchObject({
      subject: 'Ports and prices',
      intro: 'Good morning.\n\nThis week: **harbours** first.',
      closing: 'See you _next week_.',
    });
    expect(JSON.parse(row.article_ids!)).toEqual([older, newer]);
    expect(visibleText(await (await editor.get(`${ISSUES}/${issueId}?done=saved`)).text())).toContain(
      'The issue is saved.',
    );

    // Unticking an article drops it; the list is kept as chosen.
    await editor.post(
      `${ISSUES}/${issueId}`,
      issueForm(
        { subject: 'Ports and prices', intro: row.intro, closing: row.closing, preheader: 'Two stories from the week' },
        [
          { id: older, position: '1', include: true },
          { id: newer, position: '2', include: false },
        ],
      ),
    );
    expect(JSON.parse((await issueRow(issueId)).article_ids!)).toEqual([older]);
    await editor.post(
      `${ISSUES}/${issueId}`,
      issueForm(
        { subject: 'Ports and prices', intro: row.intro, closing: row.closing, preheader: 'Two stories from the week' },
        [
          { id: older, position: '1', include: true },
          { id: newer, position: '2', include: true },
        ],
      ),
    );
    expect(JSON.parse((await issueRow(issueId)).article_ids!)).toEqual([older, newer]);
  });

  it('refuses a form without a subject or with a wrong position, with the text kept and nothing stored changed', async () => {
    const before = await issueRow(issueId);
    const refused = await editor.post(
      `${ISSUES}/${issueId}`,
      issueForm({ subject: '  ', intro: 'A new introduction <i>typed</i> here' }, [
        { id: older, position: '1', include: true },
      ]),
    );
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('A new introduction &lt;i&gt;typed&lt;/i&gt; here');
    expect(visibleText(html)).toContain('Write a subject.');

    const badPosition = await editor.post(
      `${ISSUES}/${issueId}`,
      issueForm({ subject: 'Ports', intro: 'Kept' }, [{ id: older, position: 'first', include: true }]),
    );
    expect(badPosition.status).toBe(422);
    expect(visibleText(await badPosition.text())).toContain('Positions are whole numbers from 1 to 99.');
    expect(await issueRow(issueId)).toEqual(before);
  });

  it('previews the issue as HTML and as text, with a sample unsubscribe link for an editor who is not subscribed', async () => {
    const response = await editor.get(`${ISSUES}/${issueId}/preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'self'");
    const html = await response.text();
    const { number } = await issueRow(issueId);
    expect(html).toContain('<title>Ports and prices</title>');
    expect(html).toContain('Two stories from the week');
    expect(html).toContain('This week: <strong>harbours</strong> first.');
    expect(html).toContain('See you <em>next week</em>.');
    expect(html.indexOf('Harbour Talks Open')).toBeLessThan(html.indexOf('Rice Prices Ease'));
    expect(html).toContain(`href="http://localhost:8787/newsletter/issues/${number}"`);
    expect(html).toContain('View in your browser');
    expect(html).toContain('/newsletter/unsubscribe?token=sample-link-you-are-not-a-subscriber');
    expect(html).not.toContain('{{unsubscribe_url}}');

    const text = await editor.get(`${ISSUES}/${issueId}/preview.txt`);
    expect(text.headers.get('Content-Type')).toMatch(/^text\/plain/);
    const body = await text.text();
    expect(body).toContain('This week: **harbours** first.');
    expect(body.indexOf('Harbour Talks Open')).toBeLessThan(body.indexOf('Rice Prices Ease'));
    expect(body).toContain(`View in your browser: http://localhost:8787/newsletter/issues/${number}`);
    expect(body).toContain(
      'Unsubscribe: http://localhost:8787/newsletter/unsubscribe?token=sample-link-you-are-not-a-subscriber',
    );
    // The page frames the HTML and shows the text part.
    const page = await (await editor.get(`${ISSUES}/${issueId}`)).text();
    expect(page).toContain(`<iframe src="${ISSUES}/${issueId}/preview"`);
    expect(visibleText(page)).toContain('This week: **harbours** first.');
  });

  it('fills in the viewer’s own unsubscribe link when the viewer is a subscriber', async () => {
    const subscribed = await signedInStaff('editor');
    const subscriberId = await addSubscriber(subscribed.email, 'confirmed');
    const text = await (await subscribed.get(`${ISSUES}/${issueId}/preview.txt`)).text();
    const token = /\/newsletter\/unsubscribe\?token=([\w.-]+)/.exec(text)?.[1];
    expect(await checkSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, 'unsubscribe', token!, Date.now())).toEqual({
      status: 'valid',
      subscriberId,
    });
  });

  it('sends a test to the editor and the test addresses, marked [Test], recording no delivery', async () => {
    const mail = watchMail();
    const response = await editor.post(`${ISSUES}/${issueId}/test`);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`${ISSUES}/${issueId}?done=tested`);
    for (const to of [editor.email, 'proofreader@localhost.example']) {
      const [copy] = mail.to(to);
      expect(copy, to).toBeDefined();
      expect(copy!.headers.subject).toBe('[Test] Ports and prices');
      expect(copy!.text).toContain('This week: **harbours** first.');
      expect(copy!.html).toContain('This week: <strong>harbours</strong> first.');
      expect(copy!.headers['list-unsubscribe']).toContain('sample-link-you-are-not-a-subscriber');
    }
    expect(mail.sent()).toHaveLength(2);
    expect(await deliveryCount(issueId)).toBe(0);
    expect((await issueRow(issueId)).status).toBe('draft');
  });

  it('sends now to every confirmed subscriber, then the issue is frozen', async () => {
    const reader = uniqueEmail('reader');
    await addSubscriber(reader, 'confirmed');
    const mail = watchMail();
    const sent = await editor.post(`${ISSUES}/${issueId}/send`);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('Location')).toBe(`${ISSUES}/${issueId}?done=sent`);
    const frozen = await issueRow(issueId);
    expect(frozen).toMatchObject({ status: 'sent', decided_by: editor.id });
    expect(frozen.html).toContain('This week: <strong>harbours</strong> first.');

    const [copy] = await vi.waitFor(
      () => {
        const copies = mail.to(reader);
        expect(copies).toHaveLength(1);
        return copies;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(copy!.headers.subject).toBe('Ports and prices');
    expect(copy!.text).toContain('This week: **harbours** first.');
    expect(copy!.text).toContain(`View in your browser: http://localhost:8787/newsletter/issues/${frozen.number}`);

    const page = visibleText(await (await editor.get(`${ISSUES}/${issueId}`)).text());
    expect(page).toMatch(/\d+ sent · 0 failed · 0 skipped · \d+ pending/);
    expect(page).not.toContain('Save the issue');

    for (const action of ['', '/send', '/schedule', '/cancel']) {
      const refused = await editor.post(
        `${ISSUES}/${issueId}${action}`,
        action === ''
          ? issueForm({ subject: 'Changed after sending' }, [{ id: older, position: '1', include: true }])
          : action === '/schedule'
            ? { at: '2099-01-01T09:00' }
            : {},
      );
      expect(refused.status, action).toBe(409);
      expect(visibleText(await refused.text())).toContain('This issue has been sent');
    }
    expect(await issueRow(issueId)).toEqual(frozen);
  }, 30_000);
});

describe('scheduling and cancelling', () => {
  it('schedules at a time in the site’s zone, and the every-minute job sends it when the time comes', async () => {
    const id = await insertDraftIssue('2099-W10');
    await editor.post(
      `${ISSUES}/${id}`,
      issueForm({ subject: 'Scheduled issue' }, [{ id: newer, position: '1', include: true }]),
    );
    const past = await editor.post(`${ISSUES}/${id}/schedule`, { at: '2020-01-01T09:00' });
    expect(past.status).toBe(422);
    const pastHtml = await past.text();
    expect(visibleText(pastHtml)).toContain('Choose a time in the future.');
    expect(pastHtml).toContain('value="2020-01-01T09:00"');
    expect((await editor.post(`${ISSUES}/${id}/schedule`, { at: 'tomorrow' })).status).toBe(422);
    expect((await editor.post(`${ISSUES}/${id}/schedule`, { at: '2099-02-30T09:00' })).status).toBe(422);

    const scheduled = await editor.post(`${ISSUES}/${id}/schedule`, { at: '2099-03-02T09:30' });
    expect(scheduled.status).toBe(303);
    const row = await issueRow(id);
    // Asia/Tokyo (the local TIME_ZONE) is UTC+9.
    expect(row).toMatchObject({ status: 'scheduled', scheduled_at: Date.parse('2099-03-02T00:30:00Z') });
    expect(visibleText(await (await editor.get(`${ISSUES}/${id}`)).text())).toContain(
      'Scheduled for March 2, 2099 at 09:30 UTC+9',
    );

    await addSubscriber(uniqueEmail('scheduled'), 'confirmed');
    await runMinuteJob(Date.parse('2099-03-02T00:29:00Z'));
    expect((await issueRow(id)).status).toBe('scheduled');
    expect(await deliveryCount(id)).toBe(0);
    await runMinuteJob(Date.parse('2099-03-02T00:30:00Z'));
    expect(await issueRow(id)).toMatchObject({ status: 'sent', decided_by: editor.id });
    expect(await deliveryCount(id)).toBeGreaterThan(0);
  });

  it('a cancelled issue is not sent by the weekly send, and a reopened draft is, as the editor wrote it', async () => {
    const monday = new Date();
    const week = isoWeek(monday, 'Asia/Tokyo');
    await env.DB.prepare(
      'DELETE FROM newsletter_deliveries WHERE issue_id IN (SELECT id FROM newsletter_issues WHERE week = ?)',
    )
      .bind(week)
      .run();
    await env.DB.prepare('DELETE FROM newsletter_issues WHERE week = ?').bind(week).run();
    const id = await insertDraftIssue(week, 'Written by an editor before the weekly send.');
    const queued = vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch').mockResolvedValue({} as never);

    expect((await editor.post(`${ISSUES}/${id}/cancel`)).status).toBe(303);
    expect(await issueRow(id)).toMatchObject({ status: 'cancelled', decided_by: editor.id });
    expect(await sendWeeklyIssue(env, monday)).toEqual({ issue: null, queued: 0 });
    expect(await deliveryCount(id)).toBe(0);
    expect(queued).not.toHaveBeenCalled();
    const cancelledSave = await editor.post(`${ISSUES}/${id}`, issueForm({ subject: 'Edited' }, []));
    expect(cancelledSave.status).toBe(409);
    expect(visibleText(await cancelledSave.text())).toContain('This issue is cancelled: reopen it first.');

    expect((await editor.post(`${ISSUES}/${id}/reopen`)).status).toBe(303);
    const result = await sendWeeklyIssue(env, monday);
    expect(result.issue?.week).toBe(week);
    const sent = await issueRow(id);
    expect(sent).toMatchObject({ status: 'sent', decided_by: null });
    expect(sent.text).toContain('Written by an editor before the weekly send.');
    expect(sent.text).toContain('Rice Prices Ease');
    expect(await deliveryCount(id)).toBeGreaterThan(0);
  });

  it('the weekly send leaves alone an issue an editor scheduled or sent', async () => {
    const monday = new Date(Date.now() + 14 * DAY);
    const week = isoWeek(monday, 'Asia/Tokyo');
    const id = await insertDraftIssue(week);
    await editor.post(
      `${ISSUES}/${id}`,
      issueForm({ subject: 'Later' }, [{ id: older, position: '1', include: true }]),
    );
    expect((await editor.post(`${ISSUES}/${id}/schedule`, { at: '2099-06-01T08:00' })).status).toBe(303);
    expect((await issueRow(id)).status).toBe('scheduled');
    vi.spyOn(env.NEWSLETTER_QUEUE, 'sendBatch').mockResolvedValue({} as never);
    expect(await sendWeeklyIssue(env, monday)).toEqual({ issue: null, queued: 0 });
    expect((await issueRow(id)).status).toBe('scheduled');
  });
});

describe('issues for paid members only', () => {
  const setPaidUntil = (email: string, paidUntil: number | null) =>
    env.DB.prepare('UPDATE members SET paid_until = ? WHERE email = ?').bind(paidUntil, email).run();

  /** A confirmed subscriber who is a member, with paid access until `paidUntil` (null: a free member). */
  async function memberSubscriber(label: string, paidUntil: number | null) {
    const email = uniqueEmail(label);
    const subscriberId = await addSubscriber(email, 'confirmed');
    await env.DB.prepare('INSERT INTO members (email, subscriber_id) VALUES (?, ?)').bind(email, subscriberId).run();
    await setPaidUntil(email, paidUntil);
    return { email, subscriberId };
  }

  it('sends an issue the editor marked for paid members only to them alone, and its archive page invites the others', async () => {
    const paid = await memberSubscriber('paid-only-paid', Date.now() + 30 * DAY);
    const lapsed = await memberSubscriber('paid-only-lapsed', Date.now() - DAY);
    const free = await memberSubscriber('paid-only-free', null);
    const plain = uniqueEmail('paid-only-plain');
    await addSubscriber(plain, 'confirmed');
    const id = await insertDraftIssue('2098-W20');
    const form = issueForm(
      {
        subject: 'For our subscribers',
        preheader: 'A note to those who pay for it',
        intro: 'Thank you for paying for **our work**.',
      },
      [{ id: older, position: '1', include: true }],
    );
    expect((await editor.post(`${ISSUES}/${id}`, { ...form, paidOnly: 'yes' })).status).toBe(303);
    expect(await (await editor.get(`${ISSUES}/${id}`)).text()).toContain('name="paidOnly" value="yes" checked');
    // A refused form keeps the box as ticked.
    const refused = await editor.post(`${ISSUES}/${id}`, { ...form, subject: '', paidOnly: 'yes' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('name="paidOnly" value="yes" checked');

    const mail = watchMail();
    const sent = await editor.post(`${ISSUES}/${id}/send`);
    expect(sent.headers.get('Location')).toBe(`${ISSUES}/${id}?done=sent-paid`);
    const { results } = await env.DB.prepare('SELECT subscriber_id FROM newsletter_deliveries WHERE issue_id = ?')
      .bind(id)
      .all();
    expect(results).toEqual([{ subscriber_id: paid.subscriberId }]);
    await vi.waitFor(() => expect(mail.to(paid.email)).toHaveLength(1), { timeout: 15_000, interval: 200 });
    expect(mail.to(paid.email)[0]!.text).toContain('Thank you for paying for **our work**.');
    for (const other of [lapsed.email, free.email, plain]) expect(mail.to(other), other).toEqual([]);
    expect(visibleText(await (await editor.get(`${ISSUES}/${id}`)).text())).toContain('For paid members only');

    // The archive: the preheader and an invitation for readers without paid access, the whole issue for the others.
    const { number } = await issueRow(id);
    const path = `/newsletter/issues/${number}`;
    const anonymous = visibleText(await (await fetchPage(path)).text());
    expect(anonymous).toContain('A note to those who pay for it');
    expect(anonymous).toContain('Read on: this issue went to paid members');
    expect(anonymous).not.toContain('Thank you for paying');
    expect(anonymous).not.toContain('Harbour Talks Open');
    expect(await (await fetchPage('/newsletter/issues/atom.xml')).text()).not.toContain('Thank you for paying');
    expect(visibleText(await (await fetchPage('/newsletter')).text())).toContain(
      `No. ${number}: For our subscribers for paid members`,
    );
    const reader = uniqueEmail('paid-only-reader');
    const cookie = await signedInMember(reader);
    expect(visibleText(await (await asMember(path, cookie)).text())).toContain('this issue went to paid members');
    await setPaidUntil(reader, Date.now() + DAY);
    const whole = visibleText(await (await asMember(path, cookie)).text());
    expect(whole).toContain('Thank you for paying for our work');
    expect(whole).toContain('Harbour Talks Open');
  }, 30_000);

  it('skips the copy of a subscriber whose paid access ended before their turn came', async () => {
    await env.DB.prepare('UPDATE members SET paid_until = NULL').run();
    const workerEnv = throttledEnv(10);
    const queue = simulatedQueue(workerEnv, Date.now());
    const issueId = await recordTestIssue('For paid members');
    await env.DB.prepare("UPDATE newsletter_issues SET status = 'sent', paid_only = 1 WHERE id = ?")
      .bind(issueId)
      .run();
    const stays = await memberSubscriber('turn-stays', Date.now() + 30 * DAY);
    const ends = await memberSubscriber('turn-ends', Date.now() + 30 * DAY);
    expect(await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock)).toBe(2);
    // Refunded and cancelled at once, say: the access ends while the copies wait in the queue.
    await setPaidUntil(ends.email, Date.now() - 1000);
    await queue.drain(10);
    const { results } = await env.DB.prepare(
      'SELECT subscriber_id, status FROM newsletter_deliveries WHERE issue_id = ? ORDER BY subscriber_id',
    )
      .bind(issueId)
      .all();
    expect(results).toEqual([
      { subscriber_id: stays.subscriberId, status: 'sent' },
      { subscriber_id: ends.subscriberId, status: 'skipped' },
    ]);
    expect(await deliveriesOf(issueId)).toMatchObject({ total: 2, sent: 1 });
    expect(await providerSummary('turn-stays-')).toMatchObject({ emails: 1 });
    expect(await providerSummary('turn-ends-')).toMatchObject({ emails: 0 });
  });
});

describe('who may use the Issues page', () => {
  it('refuses contributors with the 403 page, and signed-out visitors with the sign-in page', async () => {
    const contributor = await signedInStaff('contributor');
    for (const response of [
      await contributor.get(ISSUES),
      await contributor.get(`${ISSUES}/${issueId}/preview`),
      await contributor.post(`${ISSUES}/${issueId}/test`),
    ]) {
      expect(response.status).toBe(403);
      expect(visibleText(await response.text())).toContain('This page is for editors and administrators.');
    }
    const nav = await (await contributor.get('/admin/articles')).text();
    expect(nav).not.toContain(`href="${ISSUES}"`);
    expect(await (await editor.get('/admin/articles')).text()).toContain(`href="${ISSUES}"`);
  });
});
