import { type Db, primaryDb } from '../db/client';
import type { NewsletterIssue } from '../db/schema';
import { logEvent } from '../lib/log';
import { freezeIssue } from './issue';
import { dueScheduledIssues, transitionIssue } from './issue-queries';
import { queueIssue } from './send';

/**
 * Sends a draft or scheduled issue now, frozen as it stands: by an editor (`decidedBy`), or by the minute
 * job at its scheduled time (null keeps whoever scheduled it); every copy at once, or each at `localHour`
 * in its subscriber's time zone. Undefined when it has no articles or is no longer a draft or scheduled.
 */
export async function releaseIssue(
  env: Env,
  db: Db,
  issue: NewsletterIssue,
  now: Date,
  decidedBy: number | null,
  localHour: number | null,
): Promise<{ issue: NewsletterIssue; queued: number } | undefined> {
  const frozen = await freezeIssue(env, db, issue, now, decidedBy, localHour);
  if (!frozen) return undefined;
  return { issue: frozen, queued: await queueIssue(env, db, frozen.id) };
}

/** The every-minute job: sends each scheduled issue whose time has come, to everyone at once (one indexed read when none is). */
export async function sendDueIssues(env: Env, now: Date): Promise<number> {
  const db = primaryDb(env);
  let sent = 0;
  for (const issue of await dueScheduledIssues(db, now)) {
    if (await releaseIssue(env, db, issue, now, null, null)) sent++;
    else {
      // Its articles were all unpublished since: back to the editors, who see it as a draft again.
      await transitionIssue(db, issue.id, ['scheduled'], { status: 'draft', scheduledAt: null });
      logEvent('warn', 'newsletter.scheduled-issue-empty', { number: issue.number });
    }
  }
  return sent;
}
