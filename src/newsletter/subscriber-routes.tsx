import { Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { toCsv } from '../lib/csv';
import { requireRole } from '../staff/require-role';
import { subscriberCounts, subscribersForExport, subscribersMatching } from './subscriber-list';
import { eraseSubscriber } from './subscriber-queries';
import { SubscribersPage } from './views/subscribers-page';

const SEARCH_RESULTS = 100;

const subscribersQuery = validInput(
  'query',
  z.object({ q: z.string().trim().max(254).catch(''), erased: z.literal('1').optional().catch(undefined) }),
);

/** The newsletter list: counts by status, search by address, CSV export, erase an address on request. */
export const subscriberRoutes = new Hono<AppEnv>()
  .get('/admin/subscribers', requireRole('administrator'), subscribersQuery, async (c) => {
    const { q, erased } = c.req.valid('query');
    const db = primaryDb(c.env);
    const [counts, results] = await Promise.all([
      subscriberCounts(db),
      q ? subscribersMatching(db, q, SEARCH_RESULTS) : undefined,
    ]);
    return c.render(
      <SubscribersPage
        counts={counts}
        query={q}
        results={results}
        message={
          erased
            ? 'The address was erased: only its salted hash is kept, so it cannot be subscribed again by an import.'
            : undefined
        }
        timeZone={siteConfig(c.env).timeZone}
      />,
      { title: 'Subscribers' },
    );
  })
  .get('/admin/subscribers.csv', requireRole('administrator'), async (c) => {
    const rows = await subscribersForExport(primaryDb(c.env));
    const iso = (date: Date | null) => date?.toISOString() ?? '';
    const csv = toCsv([
      ['email', 'status', 'signed_up', 'confirmed', 'unsubscribed'],
      ...rows.map((row) => [row.email, row.status, iso(row.createdAt), iso(row.confirmedAt), iso(row.unsubscribedAt)]),
    ]);
    c.header('Content-Disposition', `attachment; filename="subscribers-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  })
  .post('/admin/subscribers/:id{[0-9]{1,15}}/erase', requireRole('administrator'), async (c) => {
    const erased = await eraseSubscriber(primaryDb(c.env), Number(c.req.param('id')), new Date());
    if (!erased) return c.notFound();
    return c.redirect('/admin/subscribers?erased=1', 303);
  });
