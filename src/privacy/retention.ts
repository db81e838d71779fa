import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { logEvent } from '../lib/log';
import { forgetNetworkHashes } from './queries';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The daily retention job: network-address hashes older than IP_HASH_RETENTION_DAYS are emptied. */
export async function applyRetention(env: Env, now: Date): Promise<void> {
  const days = siteConfig(env).privacy.networkHashRetentionDays;
  const forgotten = await forgetNetworkHashes(primaryDb(env), new Date(now.getTime() - days * DAY_MS));
  logEvent('info', 'privacy.retention', { networkHashesForgotten: forgotten, retentionDays: days });
}
