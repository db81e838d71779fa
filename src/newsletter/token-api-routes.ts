import { Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import type { IssueStatus } from '../db/schema';
import { moderatorAuth } from '../lib/api-token';
import { isoWeek } from '../lib/dates';
import { emailAddressSchema } from '../lib/email';
import { currentIssue } from './issue';
import { issueByNumber, issueForWeek } from './issue-queries';
import { sendWeeklyIssue } from './send';
import { subscriberMailbox } from './signup';
import { eraseSubscriber, subscriberIdOf } from './subscriber-queries';
import { UNSUBSCRIBE_URL_PLACEHOLDER } from './views/emails';
import { ISSUES_PATH } from './views/issue-status';

/** Why the weekly send left this week's issue alone, by the status an editor gave it. */
const EDITOR_DECIDED: Partial<Record<IssueStatus, string>> = {
  sent: 'was sent by an editor',
  scheduled: 'is scheduled by an editor',
  cancelled: 'was cancelled by an editor',
};

/** An issue's HTML as the editor previews it: the unsubscribe link goes nowhere. */
function previewResponse(html: string) {
  return new Response(html.replaceAll(UNSUBSCRIBE_URL_PLACEHOLDER, '#unsubscribe'), {
    headers: {
      'Content-Type': 'text/html; charset=UTF-8',
      'Cache-Control': 'private, no-store',
      // Emails carry inline styles (mail clients need them) and remote images; still no script.
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'none'",
    },
  });
}

/**
 * The newsletter's API for scripts (`Authorization: Bearer $MODERATOR_TOKEN`): preview the issue the next
 * send would build or any recorded one, send this week's issue by hand, erase an address on request.
 */
export const newsletterTokenApiRoutes = new Hono<AppEnv>()
  .use('/api/newsletter/issues/*', moderatorAuth())
  .use('/api/newsletter/subscribers/*', moderatorAuth())
  .get('/api/newsletter/issues/current/preview', async (c) => {
    const issue = await currentIssue(c.env, primaryDb(c.env), new Date());
    if (!issue)
      return c.json({ error: 'No article was published in the last 7 days, so a send now would build no issue.' }, 404);
    return previewResponse(issue.html);
  })
  .get('/api/newsletter/issues/:number{[0-9]{1,9}}/preview', async (c) => {
    const issue = await issueByNumber(primaryDb(c.env), Number(c.req.param('number')));
    if (!issue) return c.json({ error: `There is no issue number ${c.req.param('number')}.` }, 404);
    return previewResponse(issue.html);
  })
  .post('/api/newsletter/issues/send', async (c) => {
    const now = new Date();
    const result = await sendWeeklyIssue(c.env, now);
    if (result.issue) return c.json(result, 202);
    const week = await issueForWeek(primaryDb(c.env), isoWeek(now, siteConfig(c.env).timeZone));
    const decided = week && EDITOR_DECIDED[week.status];
    const message = decided
      ? `This week's issue, No. ${week.number}, ${decided} (${ISSUES_PATH}/${week.id}): the weekly send leaves it alone.`
      : 'No article was published in the last 7 days: no issue this week.';
    return c.json({ ...result, message });
  })
  .post(
    '/api/newsletter/subscribers/erase',
    validInput('json', z.object({ email: emailAddressSchema }), (c) =>
      c.json({ error: 'Send {"email": "…"} with the address to erase.' }, 400),
    ),
    async (c) => {
      const db = primaryDb(c.env);
      const id = await subscriberIdOf(db, await subscriberMailbox(c.env, c.req.valid('json').email));
      if (id === undefined || !(await eraseSubscriber(db, id, new Date())))
        return c.json({ error: 'That address is not on the list.' }, 404);
      return c.json({ erased: true });
    },
  );
