import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { recentLocalDays } from '../lib/dates';
import { subscriberCounts } from '../newsletter/subscriber-list';
import { hasRole } from '../staff/roles';
import { ACTIVITY_SLOT_MS, dashboardFigures } from './dashboard-queries';
import type { DailyCount } from './views/bar-chart';
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

/** The dashboard is for editors and administrators; a contributor's home is their list of articles. */
export const dashboardRoutes = new Hono<AppEnv>().get('/admin', async (c) => {
  if (!hasRole(c.var.editor.role, 'editor')) return c.redirect('/admin/articles', 303);
  const db = primaryDb(c.env);
  const days = recentLocalDays(new Date(), siteConfig(c.env).timeZone, CHART_DAYS);
  const [figures, subscribers] = await Promise.all([dashboardFigures(db, days[0]!.start), subscriberCounts(db)]);
  return c.render(
    <DashboardPage
      articles={figures.articles}
      pendingComments={figures.pendingComments}
      subscribers={subscribers}
      commentsPerDay={perDay(days, figures.commentSlots)}
      signupsPerDay={perDay(days, figures.signupSlots)}
    />,
    { title: 'Dashboard' },
  );
});
