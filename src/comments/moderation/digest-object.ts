import { DurableObject } from 'cloudflare:workers';
import { siteConfig } from '../../config';
import { logEvent } from '../../lib/log';
import { sendModeratorDigest } from './digest';

/** The highest comment id an email has covered, and when the last email went. */
const COVERED_UP_TO = 'coveredUpTo';
const LAST_SENT_AT = 'lastSentAt';

/**
 * One for the whole site: it times the moderators' emails. A held comment sets an alarm (unless one
 * is set) a short gathering delay away, and never sooner than the interval after the last email, so a
 * wave of held comments is one email per editor, and an editor gets at most one per interval.
 */
export class ModeratorDigest extends DurableObject<Env> {
  async commentHeld(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) !== null) return;
    const { delaySeconds, intervalMinutes } = siteConfig(this.env).moderatorEmails;
    const lastSentAt = (await this.ctx.storage.get<number>(LAST_SENT_AT)) ?? 0;
    await this.ctx.storage.setAlarm(Math.max(Date.now() + delaySeconds * 1000, lastSentAt + intervalMinutes * 60_000));
  }

  /** Emails the comments held since the last email; a failure to read D1 throws, and the alarm is retried. */
  override async alarm(): Promise<void> {
    const now = new Date();
    const digest = await sendModeratorDigest(this.env, (await this.ctx.storage.get<number>(COVERED_UP_TO)) ?? 0, now);
    if (!digest) return;
    await this.ctx.storage.put(COVERED_UP_TO, digest.coveredUpTo);
    // Nobody emailed (no moderator wants them, or every send was refused): the interval does not start.
    if (digest.sent > 0) await this.ctx.storage.put(LAST_SENT_AT, now.getTime());
  }
}

/** Tells the moderators' timer that a comment was held. The comment is stored already, so a failure is only logged. */
export async function tellModerators(env: Env): Promise<void> {
  try {
    await env.MODERATOR_DIGEST.get(env.MODERATOR_DIGEST.idFromName('moderators')).commentHeld();
  } catch (error) {
    logEvent('error', 'moderators.timer-failed', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}
