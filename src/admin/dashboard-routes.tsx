import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { type Db, primaryDb } from '../db/client';
import { recentLocalDays } from '../lib/dates';
import { subscriberCounts } from '../newsletter/subscriber-list';
import { paidFigures } from '../paid/paid-queries';
import { crawlerViews, topArticles, topCountries, topReferrers, viewsPerDay } from '../readership/queries';
import { type DailyCount, everyDay } from '../readership/views/bar-chart';
import type { ReadershipProps } from '../readership/views/readership-figures';
import { hasRole } from '../staff/roles';
import { ACTIVITY_SLOT_MS, dashboardFigures } from './dashboard-queries';
import { DashboardPage } from './views/dashboard-page';

const CHART_DAYS = 30;

/** Adds up 15-minute activity slots into the days (in the site's time zone) they fall on. */
function perDay(days: { day: string; start: Date }[], slots: { slot: number; total: number }[]): DailyCount[] {
  const counts = days.map((day) => ({ day: day.day, total: 0 }));
  for (const { slot, total } of slots) {
    const at = slot * ACTIVITY_SLOT_MS;
    const index = days.findLastIndex((day) => day.start.getTime() <= at);
    if (index >= 0) counts[index]!.total += total;
  }
  return counts;
}

async function readership(db: Db, days: { day: string }[]): Promise<ReadershipProps> {
  const first = days[0]!.day;
  const [perDay, top7, top30, countries, referrers, [crawlers]] = await db.batch([
    viewsPerDay(db, first),
    topArticles(db, days[days.length - 7]!.day),
    topArticles(db, first),
    topCountries(db, first),
    topReferrers(db, first),
    crawlerViews(db, first),
  ]);
  const yesterday = days[days.length - 2]!.day;
  return {
    perDay: everyDay(days, perDay),
    yesterday: perDay.find((count) => count.day === yesterday)?.views ?? 0,
    top7,
    top30,
    countries,
    referrers,
    crawlers: crawlers?.views ?? 0,
  };
}

/** The dashboard is for editors and administrators; a contributor's home is their list of articles. */
export const dashboardRoutes = new Hono<AppEnv>().get('/admin', async (c) => {
  if (!hasRole(c.var.staffMember.role, 'editor')) return c.redirect('/admin/articles', 303);
  const db = primaryDb(c.env);
  const days = recentLocalDays(new Date(), siteConfig(c.env).timeZone, CHART_DAYS);
  const [figures, subscribers, readers, paid] = await Promise.all([
    dashboardFigures(db, days[0]!.start),
    subscriberCounts(db),
    readership(db, days),
    paidFigures(db, new Date()),
  ]);
  return c.render(
    <DashboardPage
      articles={figures.articles}
      pendingComments={figures.pendingComments}
      subscribers={subscribers}
      paid={paid}
      commentsPerDay={perDay(days, figures.commentSlots)}
      signupsPerDay={perDay(days, figures.signupSlots)}
      readership={readers}
    />,
    { title: 'Dashboard' },
  );
});
