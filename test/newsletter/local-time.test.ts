import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { primaryDb } from '../../src/db/client';
import { nextLocalHour } from '../../src/lib/dates';
import { queueIssue, queueLocalHourDeliveries, sendWeeklyIssue } from '../../src/newsletter/send';
import { unsubscribePath } from '../../src/newsletter/signup';
import { createSubscriptionToken } from '../../src/newsletter/subscription-token';
import { signedInStaff } from '../support/admin-helpers';
import { fetchPage, freshAddress, ORIGIN, visibleText } from '../support/helpers';
import {
  addSubscriber,
  formPost,
  insertDraftIssue,
  publishRecentArticle,
  recordTestIssue,
  subscriberRows,
} from '../support/newsletter-helpers';
import { addSubscribers, simulatedQueue, throttledEnv } from '../support/simulated-queue';
import { uniqueEmail } from '../support/unique';

/** The Worker with NEWSLETTER_LOCAL_HOUR = 7, its newsletter queue the suite's consumer-less one. */
const localHourEnv = { ...env, NEWSLETTER_LOCAL_HOUR: '7', NEWSLETTER_QUEUE: env.TEST_NEWSLETTER_QUEUE } as Env;

async function fetchWith(workerEnv: Env, path: string, init: RequestInit = {}) {
  const request = new Request(new URL(path, ORIGIN), init);
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const postFormWith = (
  workerEnv: Env,
  path: string,
  fields: Record<string, string>,
  { headers, cf }: { headers?: Record<string, string>; cf?: RequestInit['cf'] } = {},
) => fetchWith(workerEnv, path, { ...formPost(fields, headers), cf });

const timeZoneOf = async (email: string) =>
  env.DB.prepare('SELECT time_zone FROM subscribers WHERE id = ?')
    .bind((await subscriberRows(email))[0]!.id)
    .first<string | null>('time_zone');

const unsubscribeToken = (id: number) =>
  createSubscriptionToken(env.NEWSLETTER_TOKEN_SECRET, 'unsubscribe', id, Date.now());

/** The hour and minute an instant reads on the wall clock of `timeZone`, "07:00". */
const wallClock = (at: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/** An issue sent at `start` for 07:00 local, at 10 sends a second, with the queue played on a clock from `start`. */
async function localHourIssueSentAt(start: number) {
  const workerEnv = throttledEnv(10, 0, { NEWSLETTER_LOCAL_HOUR: '7' });
  const queue = simulatedQueue(workerEnv, start);
  const issueId = await recordTestIssue();
  await env.DB.prepare('UPDATE newsletter_issues SET status = ?, local_hour = 7, sent_at = ? WHERE id = ?')
    .bind('sent', start, issueId)
    .run();
  return { workerEnv, start, queue, issueId };
}

beforeEach(async () => {
  await env.DB.prepare("UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'confirmed'").run();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a subscriber’s time zone', () => {
  it('is taken from request.cf.timezone at signup (form and JSON API), and deleted with the address', async () => {
    const [byForm, byApi, unknown] = [uniqueEmail('zone-form'), uniqueEmail('zone-api'), uniqueEmail('zone-unknown')];
    const form = await postFormWith(env, '/newsletter', { email: byForm }, { cf: { timezone: 'America/Sao_Paulo' } });
    expect(form.status).toBe(303);
    const api = await fetchWith(env, '/api/newsletter/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshAddress() },
      body: JSON.stringify({ email: byApi }),
      cf: { timezone: 'Asia/Kolkata' },
    });
    expect(api.status).toBe(202);
    await postFormWith(env, '/newsletter', { email: unknown }, { cf: { timezone: 'Mars/Olympus_Mons' } });
    expect(await timeZoneOf(byForm)).toBe('America/Sao_Paulo');
    expect(await timeZoneOf(byApi)).toBe('Asia/Kolkata');
    expect(await timeZoneOf(unknown)).toBeNull();

    const [row] = await subscriberRows(byForm);
    const erased = await postFormWith(env, '/newsletter/erase', { token: await unsubscribeToken(row!.id) });
    expect(erased.status).toBe(200);
    const zone = await env.DB.prepare('SELECT time_zone FROM subscribers WHERE id = ?')
      .bind(row!.id)
      .first('time_zone');
    expect(zone).toBeNull();
  });

  it('is shown and changed on the unsubscribe page when issues arrive at a local hour', async () => {
    const email = uniqueEmail('zone-manage');
    const id = await addSubscriber(email, 'confirmed');
    await env.DB.prepare("UPDATE subscribers SET time_zone = 'Europe/Berlin' WHERE id = ?").bind(id).run();
    const token = await unsubscribeToken(id);

    const page = await fetchWith(localHourEnv, unsubscribePath(token));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(visibleText(html)).toContain('Each issue arrives at 07:00 in your time zone.');
    expect(html).toMatch(/<option value="Europe\/Berlin" selected="">/);
    expect(html).toContain('<option value="Pacific/Auckland">');

    const saved = await postFormWith(localHourEnv, '/newsletter/time-zone', { token, timeZone: 'Pacific/Auckland' });
    expect(saved.status).toBe(200);
    const savedHtml = await saved.text();
    expect(visibleText(savedHtml)).toContain(
      'Saved: from the next issue on, yours arrive at 07:00 in Pacific/Auckland.',
    );
    expect(savedHtml).toMatch(/<option value="Pacific\/Auckland" selected="">/);
    expect(await timeZoneOf(email)).toBe('Pacific/Auckland');

    const refused = await postFormWith(localHourEnv, '/newsletter/time-zone', { token, timeZone: 'Nowhere/Atlantis' });
    expect(refused.status).toBe(422);
    expect(visibleText(await refused.text())).toContain('Choose your time zone from the list.');
    const forged = await postFormWith(localHourEnv, '/newsletter/time-zone', { token: 'forged', timeZone: 'UTC' });
    expect(forged.status).toBe(400);
    expect(await timeZoneOf(email)).toBe('Pacific/Auckland');

    // Without a local hour, the page has no time zone to offer, and the form's address answers 404.
    expect(await (await fetchPage(unsubscribePath(token))).text()).not.toContain('name="timeZone"');
    const off = await postFormWith(env, '/newsletter/time-zone', { token, timeZone: 'UTC' });
    expect(off.status).toBe(404);
    expect(await timeZoneOf(email)).toBe('Pacific/Auckland');
  });
});

describe('delivery at the local hour', () => {
  it('finds the next 07:00 on each zone’s wall clock, across a daylight-saving change', () => {
    const at = (iso: string) => new Date(iso).toISOString();
    expect(nextLocalHour(new Date('2026-12-07T06:00:00Z'), 'Asia/Tokyo', 7).toISOString()).toBe(
      at('2026-12-07T22:00:00Z'),
    );
    expect(nextLocalHour(new Date('2026-12-07T06:00:00Z'), 'Asia/Kolkata', 7).toISOString()).toBe(
      at('2026-12-08T01:30:00Z'),
    );
    expect(nextLocalHour(new Date('2026-12-07T07:00:00Z'), 'Europe/London', 7).toISOString()).toBe(
      at('2026-12-07T07:00:00Z'),
    );
    // New York moves its clocks forward on March 8, 2026: 07:00 is 12:00 UTC before, 11:00 UTC after.
    expect(nextLocalHour(new Date('2026-03-07T13:00:00Z'), 'America/New_York', 7).toISOString()).toBe(
      at('2026-03-08T11:00:00Z'),
    );
  });

  it('sends each zone’s copies at 07:00 on its own clock, queued by the hourly job, nobody twice', async () => {
    const zones = ['Asia/Tokyo', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
    for (const zone of zones) await addSubscribers(`local-${zone}-`, 30, zone);
    await addSubscribers('local-none-', 30);
    const { workerEnv, start, queue, issueId } = await localHourIssueSentAt(Date.UTC(2026, 11, 7, 6, 0));

    expect(await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock)).toBe(180);
    // The hourly job, 27 times; each time twice at once, as two overlapping Cron Trigger runs would.
    for (let hour = 1; hour <= 27; hour++) {
      await queue.drain(10_000, start + hour * 3_600_000);
      const run = () => queueLocalHourDeliveries(workerEnv, new Date(queue.now), queue.clock);
      await Promise.all([run(), run()]);
    }
    await queue.drain(10_000);

    const { results } = await env.DB.prepare(
      `SELECT coalesce(s.time_zone, 'Asia/Tokyo') AS zone, d.status, d.sent_at, d.due_at
       FROM newsletter_deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.issue_id = ?`,
    )
      .bind(issueId)
      .all<{ zone: string; status: string; sent_at: number; due_at: number }>();
    expect(results).toHaveLength(180);
    // Every copy was queued once, however often the hourly job ran.
    expect(queue.deliveriesQueued).toBe(180);
    for (const row of results) {
      expect(row.status).toBe('sent');
      // At 10 a second, a zone's 30 copies (60 for Tokyo) leave within its hour's first few seconds.
      expect(row.sent_at - row.due_at).toBeGreaterThanOrEqual(0);
      expect(row.sent_at - row.due_at).toBeLessThan(60_000);
      expect(wallClock(row.due_at, row.zone)).toBe('07:00');
    }
    const sentAt = (zone: string) => results.filter((row) => row.zone === zone).map((row) => row.sent_at);
    expect(Math.min(...sentAt('Europe/London'))).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 7, 7));
    expect(Math.max(...sentAt('Europe/London'))).toBeLessThan(Date.UTC(2026, 11, 7, 7, 1));
    expect(Math.min(...sentAt('Asia/Kolkata'))).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 8, 1, 30));
    expect(Math.min(...sentAt('Pacific/Chatham'))).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 7, 17, 15));
    expect(sentAt('Asia/Tokyo')).toHaveLength(60);
  });

  it('queues at their hour the copies a later run of the send adds, days after the first', async () => {
    await addSubscribers('late-first-', 5, 'Europe/London');
    const { workerEnv, queue, issueId } = await localHourIssueSentAt(Date.UTC(2026, 11, 7, 6, 0));
    await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock);
    const hourly = async (hours: number) => {
      for (let hour = 1; hour <= hours; hour++) {
        await queue.drain(10_000, queue.now + 3_600_000);
        await queueLocalHourDeliveries(workerEnv, new Date(queue.now), queue.clock);
      }
    };
    await hourly(3 * 24);
    // Three days on, the send runs again (POST /api/newsletter/issues/send) for subscribers confirmed since.
    await addSubscribers('late-second-', 5, 'America/Los_Angeles');
    const rerun = queue.now;
    expect(await queueIssue(workerEnv, primaryDb(workerEnv), issueId, queue.clock)).toBe(5);
    await hourly(30);

    const { results } = await env.DB.prepare(
      `SELECT d.status, d.sent_at FROM newsletter_deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.issue_id = ? AND s.time_zone = 'America/Los_Angeles'`,
    )
      .bind(issueId)
      .all<{ status: string; sent_at: number }>();
    expect(results).toHaveLength(5);
    for (const row of results) {
      expect(row.status).toBe('sent');
      expect(row.sent_at).toBeGreaterThan(rerun);
      expect(wallClock(row.sent_at, 'America/Los_Angeles')).toBe('07:00');
    }
    expect(queue.deliveriesQueued).toBe(10);
  });

  it('is how the weekly send goes out when NEWSLETTER_LOCAL_HOUR is set', async () => {
    await publishRecentArticle(`local-weekly-${Date.now()}`, 'A story for the local-hour week', 60_000);
    await addSubscribers('local-weekly-', 3, 'America/Chicago');
    const now = new Date();
    const result = await sendWeeklyIssue(localHourEnv, now);
    expect(result.issue).not.toBeNull();
    const issue = await env.DB.prepare('SELECT id, local_hour FROM newsletter_issues WHERE number = ?')
      .bind(result.issue!.number)
      .first<{ id: number; local_hour: number }>();
    expect(issue!.local_hour).toBe(7);
    const due = await env.DB.prepare(
      `SELECT d.due_at FROM newsletter_deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.issue_id = ? AND s.time_zone = 'America/Chicago'`,
    )
      .bind(issue!.id)
      .all<{ due_at: number }>();
    expect(due.results).toHaveLength(3);
    for (const { due_at } of due.results) expect(due_at).toBe(nextLocalHour(now, 'America/Chicago', 7).getTime());
  });

  it('is the editor’s choice when sending by hand: at the local hour, or every copy now', async () => {
    const editor = await signedInStaff('editor');
    await publishRecentArticle(`local-editor-${Date.now()}`, 'A story for the editor’s send', 60_000);
    const post = (id: number, fields: Record<string, string>) =>
      postFormWith(
        localHourEnv,
        `/admin/newsletter/issues/${id}/send`,
        { csrf: editor.csrf, ...fields },
        {
          headers: { Cookie: `editor_session=${editor.token}` },
        },
      );
    const [local, now] = [await insertDraftIssue('2031-W01'), await insertDraftIssue('2031-W02')];

    const page = await fetchWith(localHourEnv, `/admin/newsletter/issues/${local}`, {
      headers: { Cookie: `editor_session=${editor.token}` },
    });
    const form = visibleText(await page.text());
    expect(form).toContain('Each copy at 07:00 in its subscriber’s time zone, over the next day');
    expect(form).toContain('Send the issue');

    const refused = await post(local, {});
    expect(refused.status).toBe(422);
    expect(visibleText(await refused.text())).toContain('Choose how to deliver the issue.');
    const stillDraft = await env.DB.prepare('SELECT status FROM newsletter_issues WHERE id = ?')
      .bind(local)
      .first('status');
    expect(stillDraft).toBe('draft');

    const sent = await post(local, { delivery: 'local-hour' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('Location')).toBe(`/admin/newsletter/issues/${local}?done=sent-local-hour`);
    const sentPage = await fetchWith(localHourEnv, sent.headers.get('Location')!, {
      headers: { Cookie: `editor_session=${editor.token}` },
    });
    expect(visibleText(await sentPage.text())).toContain('Each copy goes out at 07:00 in its subscriber’s time zone');

    expect((await post(now, { delivery: 'now' })).headers.get('Location')).toBe(
      `/admin/newsletter/issues/${now}?done=sent`,
    );
    const { results } = await env.DB.prepare('SELECT id, local_hour FROM newsletter_issues WHERE id IN (?, ?)')
      .bind(local, now)
      .all<{ id: number; local_hour: number | null }>();
    expect(Object.fromEntries(results.map((row) => [row.id, row.local_hour]))).toEqual({ [local]: 7, [now]: null });
  });
});
