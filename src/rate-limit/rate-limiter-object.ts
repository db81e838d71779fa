import { DurableObject } from 'cloudflare:workers';

export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Index in the windows given of the window that refused the hit (the one that frees up last). */
  refusedBy: number | null;
  /** For the tightest window: the limit, what is left after this hit, and when it frees up. */
  limit: number;
  remaining: number;
  resetMs: number;
}

/**
 * Counts hits for one key (one Durable Object per key) in sliding windows, in its own SQLite.
 * A Durable Object runs one call at a time and `hit` never awaits, so the check and the record are a
 * single step: concurrent requests for one key are admitted exactly up to the limit.
 */
export class RateLimiter extends DurableObject<Env> {
  private hasTable = false;

  /** The alarm's deleteAll() drops the table while this instance may stay in memory: create it again before use. */
  private ensureTable(): void {
    if (this.hasTable) return;
    this.ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS hits (at INTEGER NOT NULL)');
    this.ctx.storage.sql.exec('CREATE INDEX IF NOT EXISTS hits_at ON hits (at)');
    this.hasTable = true;
  }

  /** Records a hit at `now` if every window has room; otherwise records nothing. */
  hit(windows: RateLimitWindow[], now: number): RateLimitDecision {
    return this.decide(windows, now);
  }

  /** Takes back one hit recorded at `at` (an attempt that turned out not to count, such as a right password). */
  release(at: number): void {
    this.ensureTable();
    this.ctx.storage.sql.exec('DELETE FROM hits WHERE rowid = (SELECT rowid FROM hits WHERE at = ? LIMIT 1)', at);
  }

  private decide(windows: RateLimitWindow[], now: number): RateLimitDecision {
    this.ensureTable();
    const sql = this.ctx.storage.sql;
    const longest = Math.max(...windows.map((window) => window.windowMs));
    sql.exec('DELETE FROM hits WHERE at <= ?', now - longest);

    const states = windows.map((window) => {
      const since = now - window.windowMs;
      const { used } = sql.exec<{ used: number }>('SELECT count(*) AS used FROM hits WHERE at > ?', since).one();
      // Once full, the window frees up when the hit that put it at its limit leaves it.
      const blocking =
        used >= window.limit
          ? sql
              .exec<{ at: number }>(
                'SELECT at FROM hits WHERE at > ? ORDER BY at DESC LIMIT 1 OFFSET ?',
                since,
                window.limit - 1,
              )
              .one().at
          : null;
      return { ...window, used, freeAtMs: blocking === null ? now : blocking + window.windowMs };
    });

    const full = states.filter((state) => state.used >= state.limit);
    const allowed = full.length === 0;
    if (allowed) {
      sql.exec('INSERT INTO hits (at) VALUES (?)', now);
      void this.ctx.storage.setAlarm(Date.now() + longest);
    }
    const tightest = allowed
      ? states.reduce((a, b) => (b.limit - b.used < a.limit - a.used ? b : a))
      : full.reduce((a, b) => (b.freeAtMs > a.freeAtMs ? b : a));
    return {
      allowed,
      refusedBy: allowed ? null : states.indexOf(tightest),
      limit: tightest.limit,
      remaining: Math.max(0, tightest.limit - tightest.used - (allowed ? 1 : 0)),
      resetMs: Math.max(0, (allowed ? now + tightest.windowMs : tightest.freeAtMs) - now),
    };
  }

  /** Nothing recorded is needed once the longest window has passed: free the storage. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.hasTable = false;
  }
}
