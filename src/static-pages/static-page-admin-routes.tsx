import { type Context, Hono } from 'hono';
import { type AppEnv, validInput } from '../app-env';
import { primaryDb } from '../db/client';
import { doneMessages } from '../layout/done-messages';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { purgePages } from '../page-cache/purge';
import { PAGES_SITEMAP_PATH, staticPagePath } from '../paths';
import { requireRole } from '../staff/require-role';
import { moveInputSchema, STATIC_PAGE_FIELDS, type StaticPageInput, staticPageInputSchema } from './input';
import {
  createStaticPage,
  deleteStaticPage,
  inNavigation,
  moveStaticPage,
  type StaticPage,
  slugTaken,
  staticPageById,
  staticPagesQuery,
  updateStaticPage,
} from './queries';
import {
  type RefusedStaticPage,
  STATIC_PAGES_ADMIN_PATH,
  StaticPageForm,
  StaticPagesPage,
} from './views/static-pages-admin';

const ID = ':id{[0-9]{1,15}}';
const base = STATIC_PAGES_ADMIN_PATH;

const done = doneMessages({
  added: 'Added.',
  saved: 'Saved: readers see the change now.',
  moved: 'Moved: the navigation shows the new order.',
  deleted: 'Deleted.',
});

const pageOf = (c: Context<AppEnv>) => staticPageById(primaryDb(c.env), Number(c.req.param('id')));

/**
 * Purges what a change shows on: the page at its old and new address and the pages sitemap; every
 * cached page when it is (or was) in the header's navigation.
 */
function purgeFor(env: Env, ...versions: Pick<StaticPage, 'slug' | 'status' | 'navPosition'>[]) {
  if (versions.some(inNavigation)) return purgePages(env, 'all');
  return purgePages(env, [...versions.map((page) => staticPagePath(page.slug)), PAGES_SITEMAP_PATH]);
}

const asStored = (input: StaticPageInput) => ({
  slug: input.slug,
  status: input.status,
  navPosition: input.inNavigation ? 0 : null,
});

function refusedForm(c: Context<AppEnv>, page: StaticPage | undefined, refused: RefusedStaticPage) {
  c.status(422);
  return c.render(
    <StaticPageForm
      page={page}
      refused={refused}
      message="Please correct the marked fields: nothing has been saved."
    />,
    { title: page ? page.title : 'New page' },
  );
}

const pageForm = validInput('form', staticPageInputSchema, async (c, error, submitted) =>
  refusedForm(c, c.req.param('id') ? await pageOf(c) : undefined, {
    values: submittedStrings(submitted, STATIC_PAGE_FIELDS),
    errors: firstErrorPerField(error, STATIC_PAGE_FIELDS),
  }),
);

const slugRefusal = (c: Context<AppEnv>, page: StaticPage | undefined, input: StaticPageInput) =>
  refusedForm(c, page, {
    values: { ...input, inNavigation: input.inNavigation ? 'on' : undefined },
    errors: { slug: 'Another page already has this slug: choose another.' },
  });

/** Static pages in the admin, for editors and administrators: write, publish, put in the navigation and order, delete. */
export const staticPageAdminRoutes = new Hono<AppEnv>()
  .get(base, requireRole('editor'), done.query, async (c) =>
    c.render(
      <StaticPagesPage rows={await staticPagesQuery(primaryDb(c.env))} message={done.message(c.req.valid('query'))} />,
      { title: 'Pages' },
    ),
  )
  .get(`${base}/new`, requireRole('editor'), (c) => c.render(<StaticPageForm />, { title: 'New page' }))
  .get(`${base}/${ID}`, requireRole('editor'), done.query, async (c) => {
    const page = await pageOf(c);
    if (!page) return c.notFound();
    return c.render(<StaticPageForm page={page} message={done.message(c.req.valid('query'))} />, { title: page.title });
  })
  .post(base, requireRole('editor'), pageForm, async (c) => {
    const input = c.req.valid('form');
    let id: number;
    try {
      id = await createStaticPage(primaryDb(c.env), input);
    } catch (error) {
      if (slugTaken(error)) return slugRefusal(c, undefined, input);
      throw error;
    }
    await purgeFor(c.env, asStored(input));
    return c.redirect(done.path(`${base}/${id}`, 'added'), 303);
  })
  .post(`${base}/${ID}`, requireRole('editor'), pageForm, async (c) => {
    const before = await pageOf(c);
    if (!before) return c.notFound();
    const input = c.req.valid('form');
    try {
      await updateStaticPage(primaryDb(c.env), before, input);
    } catch (error) {
      if (slugTaken(error)) return slugRefusal(c, before, input);
      throw error;
    }
    await purgeFor(c.env, before, asStored(input));
    return c.redirect(done.path(`${base}/${before.id}`, 'saved'), 303);
  })
  .post(`${base}/${ID}/delete`, requireRole('editor'), async (c) => {
    const page = await pageOf(c);
    if (!page) return c.notFound();
    await deleteStaticPage(primaryDb(c.env), page.id);
    await purgeFor(c.env, page);
    return c.redirect(done.path(base, 'deleted'), 303);
  })
  .post(
    `${base}/${ID}/move`,
    requireRole('editor'),
    validInput('form', moveInputSchema, (c) => c.text('Choose to move it up or down.', 422)),
    async (c) => {
      if (!(await moveStaticPage(primaryDb(c.env), Number(c.req.param('id')), c.req.valid('form').direction))) {
        return c.notFound();
      }
      await purgePages(c.env, 'all');
      return c.redirect(done.path(base, 'moved'), 303);
    },
  );
