import { DurableObject } from 'cloudflare:workers';
import type { View } from './view';

export interface CountedView extends View {
  views: number;
}

/** How often a day's counts go to D1: the dashboard is at most this late. */
export const FLUSH_INTERVAL_MS = 60_000;
/** Rows written to D1 per alarm (one statement each, in one batch); more wait for the next alarm. */
const MAX_ROWS_PER_FLUSH = 500;

const KEY = ['day', 'slug', 'country', 'referrer', 'client'] as const;

const UPSERT_VIEWS = `INSERT INTO article_views (article_id, day, country, referrer, client, views)
  SELECT id, ?, ?, ?, ?, ? FROM articles WHERE slug = ?
  ON CONFLICT (article_id, day, country, referrer, client) DO UPDATE SET views = views + excluded.views`;

/**
 * Article views of one day (one Durable Object per day, named by the day): each batch the Worker
 * sends is added to this object's own SQLite at once, so no count is lost if it leaves memory, and
 * an alarm adds them to D1's `article_views` every minute. A Durable Object runs one call at a time,
 * so counts are exact under any concurrency; views recorded while D1 is written stay pending.
 */
export class ViewCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS pending (
      day TEXT NOT NULL, slug TEXT NOT NULL, country TEXT NOT NULL, referrer TEXT NOT NULL, client TEXT NOT NULL,
      views INTEGER NOT NULL, PRIMARY KEY (day, slug, country, referrer, client))`);
  }

  async record(views: CountedView[]): Promise<void> {
    for (const view of views) {
      this.ctx.storage.sql.exec(
        `INSERT INTO pending (day, slug, country, referrer, client, views) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (day, slug, country, referrer, client) DO UPDATE SET views = views + excluded.views`,
        ...KEY.map((field) => view[field]),
        view.views,
      );
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
  }

  /** The views not yet in D1. */
  pending(): CountedView[] {
    return this.ctx.storage.sql
      .exec<Record<string, string | number>>(`SELECT * FROM pending LIMIT ${MAX_ROWS_PER_FLUSH}`)
      .toArray() as unknown as CountedView[];
  }

  override async alarm(): Promise<void> {
    const rows = this.pending();
    if (rows.length === 0) return;
    // Throws if D1 refuses: the alarm is retried (with backoff) and the views stay pending.
    await this.env.DB.batch(
      rows.map((row) =>
        this.env.DB.prepare(UPSERT_VIEWS).bind(row.day, row.country, row.referrer, row.client, row.views, row.slug),
      ),
    );
    for (const row of rows) {
      this.ctx.storage.sql.exec(
        'UPDATE pending SET views = views - ? WHERE day = ? AND slug = ? AND country = ? AND referrer = ? AND client = ?',
        row.views,
        ...KEY.map((field) => row[field]),
      );
    }
    this.ctx.storage.sql.exec('DELETE FROM pending WHERE views <= 0');
    if (this.pending().length > 0) await this.ctx.storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
  }
}
