import { DurableObject } from 'cloudflare:workers';
import type { View } from './view';

export interface CountedView extends View {
  views: number;
}

/** Views as the Worker sends them: each reader's mark (see `readerMark`), so a reader counts once a day. */
export interface ReadView extends View {
  readers: string[];
}

/** Distinct referring hosts kept per article and day; the rest are counted as OTHER_REFERRER. */
export const MAX_REFERRERS_PER_ARTICLE = 20;
/** The referrer of a view from a host past MAX_REFERRERS_PER_ARTICLE: counted, not named. */
export const OTHER_REFERRER = '(other sites)';
const DAY_MS = 24 * 60 * 60 * 1000;

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
    // This day's reader marks (a reader counts once per article) and named referrers per article.
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS readers (mark TEXT PRIMARY KEY)');
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS referrers (slug TEXT NOT NULL, referrer TEXT NOT NULL, PRIMARY KEY (slug, referrer))',
    );
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS day (day TEXT NOT NULL)');
  }

  async record(views: ReadView[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    for (const view of views) {
      let readers = 0;
      for (const mark of view.readers) {
        readers +=
          sql.exec('INSERT INTO readers (mark) VALUES (?) ON CONFLICT DO NOTHING', mark).rowsWritten > 0 ? 1 : 0;
      }
      if (readers === 0) continue;
      const counted = { ...view, referrer: this.namedReferrer(view.slug, view.referrer) };
      sql.exec(
        `INSERT INTO pending (day, slug, country, referrer, client, views) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (day, slug, country, referrer, client) DO UPDATE SET views = views + excluded.views`,
        ...KEY.map((field) => counted[field]),
        readers,
      );
      if (sql.exec('SELECT count(*) AS n FROM day').one().n === 0)
        sql.exec('INSERT INTO day (day) VALUES (?)', view.day);
    }
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
  }

  /** The referrer as counted: named while the article has fewer than MAX_REFERRERS_PER_ARTICLE hosts today. */
  private namedReferrer(slug: string, referrer: string): string {
    if (referrer === '') return referrer;
    const sql = this.ctx.storage.sql;
    if (sql.exec('SELECT 1 FROM referrers WHERE slug = ? AND referrer = ?', slug, referrer).toArray().length > 0) {
      return referrer;
    }
    const { n } = sql.exec<{ n: number }>('SELECT count(*) AS n FROM referrers WHERE slug = ?', slug).one();
    if (n >= MAX_REFERRERS_PER_ARTICLE) return OTHER_REFERRER;
    sql.exec('INSERT INTO referrers (slug, referrer) VALUES (?, ?)', slug, referrer);
    return referrer;
  }

  /** The views not yet in D1. */
  pending(): CountedView[] {
    return this.ctx.storage.sql
      .exec<Record<string, string | number>>(`SELECT * FROM pending LIMIT ${MAX_ROWS_PER_FLUSH}`)
      .toArray() as unknown as CountedView[];
  }

  override async alarm(): Promise<void> {
    const rows = this.pending();
    if (rows.length === 0) return this.forgetWhenOver();
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
    if (this.pending().length > 0) return this.ctx.storage.setAlarm(Date.now() + FLUSH_INTERVAL_MS);
    await this.forgetWhenOver();
  }

  /** Once its day is over everywhere (two days after its start, in UTC), the day's marks and all else go. */
  private async forgetWhenOver(): Promise<void> {
    const [row] = this.ctx.storage.sql.exec<{ day: string }>('SELECT day FROM day').toArray();
    if (!row) return;
    const over = Date.parse(`${row.day}T00:00:00Z`) + 2 * DAY_MS;
    if (Date.now() >= over) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(over);
  }
}
