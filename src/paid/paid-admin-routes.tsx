import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { doneMessages } from '../layout/done-messages';
import { fromLocalDateTime, toLocalDateTime } from '../lib/dates';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { canonicalPositiveInteger } from '../lib/pagination';
import { memberSessionsOf } from '../members/member-queries';
import { requireRole } from '../staff/require-role';
import { isCurrency, toMinorUnits } from './money';
import {
  insertTier,
  listTiers,
  MEMBER_FILTERS,
  memberHistory,
  membersPage,
  setComplimentaryAccess,
  type TierFields,
  updateTier,
} from './paid-queries';
import { MemberPage, MembersPage, type TierField, TiersPage } from './views/admin-pages';

const MEMBERS_PER_PAGE = 50;
const TIER_FIELDS = ['name', 'currency', 'monthlyPrice', 'yearlyPrice'] as const satisfies TierField[];

const done = doneMessages({
  added: 'The tier is added: readers see it on /subscribe.',
  saved: 'The tier is saved. Subscriptions already started keep the price they started with.',
  given: 'Complimentary access is given.',
  ended: 'Complimentary access has ended.',
});

const price = z.string().trim().min(1, 'Give a price.');
const tierForm = z
  .object({
    name: z.string().trim().min(1, 'Give the tier a name.').max(80, 'At most 80 characters.'),
    currency: z
      .string()
      .trim()
      .refine(isCurrency, 'Not a currency code (EUR, USD, JPY…).')
      .transform((code) => code.toLowerCase()),
    monthlyPrice: price,
    yearlyPrice: price,
    hidden: z.literal('yes').optional().catch(undefined),
  })
  .transform((form, context): TierFields => {
    const amount = (field: 'monthlyPrice' | 'yearlyPrice') => {
      const minor = toMinorUnits(form[field], form.currency);
      if (minor === undefined || minor <= 0) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `Not a price in ${form.currency.toUpperCase()} (e.g. 5.00).`,
        });
        return 0;
      }
      return minor;
    };
    return {
      name: form.name,
      currency: form.currency,
      monthlyPrice: amount('monthlyPrice'),
      yearlyPrice: amount('yearlyPrice'),
      hidden: form.hidden === 'yes',
    };
  });

async function tiersPage(
  c: Context<AppEnv>,
  status: 200 | 404 | 422,
  props: Omit<Parameters<typeof TiersPage>[0], 'tiers'>,
) {
  c.status(status);
  return c.render(<TiersPage tiers={await listTiers(primaryDb(c.env), { withHidden: true })} {...props} />, {
    title: 'Tiers',
  });
}

/** The tier form, validated; a refusal shows the page again with what was typed, under the tier it was for. */
const tierInput = validInput('form', tierForm, (c, error, submitted) => {
  const id = c.req.param('id');
  return tiersPage(c, 422, {
    refused: {
      tierId: id === undefined ? undefined : Number(id),
      values: submittedStrings(submitted, [...TIER_FIELDS, 'hidden']),
      errors: firstErrorPerField(error, TIER_FIELDS),
    },
  });
});

const idParam = validInput('param', z.object({ id: canonicalPositiveInteger(15) }), (c) => c.notFound());

const membersQuery = validInput(
  'query',
  z.object({
    filter: z.enum(MEMBER_FILTERS).catch('all'),
    q: z.string().trim().max(254).catch(''),
    after: canonicalPositiveInteger(15).optional().catch(undefined),
  }),
);

const complimentaryForm = z.object({ until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a date.') });

async function memberPage(
  c: Context<AppEnv>,
  memberId: number,
  form: { status?: 200 | 422; message?: string; error?: string; until?: string } = {},
) {
  const db = primaryDb(c.env);
  const [history, sessions] = await Promise.all([memberHistory(db, memberId), memberSessionsOf(db, memberId)]);
  if (!history) return c.notFound();
  const timeZone = siteConfig(c.env).timeZone;
  c.status(form.status ?? 200);
  return c.render(
    <MemberPage
      history={history}
      sessions={sessions}
      timeZone={timeZone}
      message={form.message}
      error={form.error}
      complimentaryValue={
        form.until ??
        (history.complimentary ? toLocalDateTime(history.complimentary.endsAt, timeZone).slice(0, 10) : undefined)
      }
    />,
    { title: history.member.email },
  );
}

/**
 * Paid access in the admin: tiers (administrators), members with their access and history, and
 * complimentary access (editors).
 */
export const paidAdminRoutes = new Hono<AppEnv>()
  .get('/admin/tiers', requireRole('administrator'), done.query, (c) =>
    tiersPage(c, 200, { message: done.message(c.req.valid('query')) }),
  )
  .post('/admin/tiers', requireRole('administrator'), tierInput, async (c) => {
    await insertTier(primaryDb(c.env), c.req.valid('form'));
    return c.redirect(done.path('/admin/tiers', 'added'), 303);
  })
  .post('/admin/tiers/:id{[0-9]{1,15}}', requireRole('administrator'), idParam, tierInput, async (c) => {
    if (!(await updateTier(primaryDb(c.env), c.req.valid('param').id, c.req.valid('form')))) return c.notFound();
    return c.redirect(done.path('/admin/tiers', 'saved'), 303);
  })
  .get('/admin/members', requireRole('editor'), membersQuery, async (c) => {
    const { filter, q, after } = c.req.valid('query');
    const now = new Date();
    const rows = await membersPage(primaryDb(c.env), { filter, search: q, after, limit: MEMBERS_PER_PAGE + 1, now });
    const shown = rows.slice(0, MEMBERS_PER_PAGE);
    const older = rows.length > MEMBERS_PER_PAGE ? shown.at(-1)!.id : undefined;
    const query = new URLSearchParams({ filter, ...(q ? { q } : {}) });
    return c.render(
      <MembersPage
        members={shown}
        filter={filter}
        search={q}
        olderPath={older === undefined ? undefined : `/admin/members?${query}&after=${older}`}
        timeZone={siteConfig(c.env).timeZone}
        now={now}
      />,
      { title: 'Members' },
    );
  })
  .get('/admin/members/:id{[0-9]{1,15}}', requireRole('editor'), idParam, done.query, (c) =>
    memberPage(c, c.req.valid('param').id, { message: done.message(c.req.valid('query')) }),
  )
  .post(
    '/admin/members/:id{[0-9]{1,15}}/complimentary',
    requireRole('editor'),
    idParam,
    validInput('form', complimentaryForm, (c, error, submitted) =>
      memberPage(c, Number(c.req.param('id')), {
        status: 422,
        error: error.issues[0]?.message,
        until: submittedStrings(submitted, ['until']).until,
      }),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const { until } = c.req.valid('form');
      const now = new Date();
      // The end of the day named, in the site's time zone.
      const dayStart = fromLocalDateTime(`${until}T00:00`, siteConfig(c.env).timeZone);
      const endsAt = dayStart && new Date(dayStart.getTime() + 24 * 60 * 60 * 1000);
      if (!endsAt || endsAt <= now) {
        return memberPage(c, id, { status: 422, error: 'Give a date from today on.', until });
      }
      const db = primaryDb(c.env);
      if (!(await memberHistory(db, id))) return c.notFound();
      await setComplimentaryAccess(db, id, { endsAt, grantedBy: c.var.staffMember.id, now });
      return c.redirect(done.path(`/admin/members/${id}`, 'given'), 303);
    },
  )
  .post('/admin/members/:id{[0-9]{1,15}}/complimentary/end', requireRole('editor'), idParam, async (c) => {
    const { id } = c.req.valid('param');
    await setComplimentaryAccess(primaryDb(c.env), id, null);
    return c.redirect(done.path(`/admin/members/${id}`, 'ended'), 303);
  });
