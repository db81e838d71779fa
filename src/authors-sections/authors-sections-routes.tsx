import { type Context, Hono } from 'hono';
import { type AppEnv, validInput } from '../app-env';
import { primaryDb } from '../db/client';
import type { ListingKind } from '../db/schema';
import { doneMessages } from '../layout/done-messages';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { mediaByHashQuery } from '../media/queries';
import { purgePages } from '../page-cache/purge';
import { requireRole } from '../staff/require-role';
import {
  LISTING_FIELDS,
  type ListingInput,
  listingInputSchema,
  mergeInputSchema,
  moveInputSchema,
  PHOTO_NOT_IN_LIBRARY,
} from './input';
import { KINDS } from './kinds';
import { authorPages } from './purge';
import {
  createListing,
  deleteListing,
  type ListingRow,
  listingRow,
  listingRowsQuery,
  mergeListing,
  moveSection,
  updateListing,
} from './queries';
import { ListingsPage, type RefusedForm } from './views/listings-page';

const ID = ':id{[0-9]{1,15}}';

const done = doneMessages({
  added: 'Added.',
  saved: 'Saved: the pages it appears on show the change now.',
  moved: 'Moved: the navigation shows the new order.',
  merged: 'Merged: its articles moved, and its address now leads to the one it was merged into.',
  deleted: 'Deleted.',
});

const failedOnSlug = (error: unknown) => /UNIQUE.*\.slug/.test(String((error as Error)?.message ?? error));

/** The routes of one kind (sections or authors) in the admin, administrators only. */
function listingRoutes(kind: ListingKind) {
  const words = KINDS[kind];
  const base = words.admin;
  const slugTaken = `Another ${words.one} already has this slug: choose another.`;

  async function page(c: Context<AppEnv>, status: 200 | 422, form: { message?: string; refused?: RefusedForm } = {}) {
    c.status(status);
    const rows = await listingRowsQuery(primaryDb(c.env), kind);
    return c.render(<ListingsPage kind={words} rows={rows} alert={status === 422} {...form} />, {
      title: words.many,
    });
  }
  const refuse = (c: Context<AppEnv>, message: string) => page(c, 422, { message });

  /** A section is in the navigation of every page; an author only on the pages of their articles. */
  async function purgeFor(c: Context<AppEnv>, author?: { id: number; slugs: string[] }) {
    if (kind === 'section') return purgePages(c.env, 'all');
    if (author) return purgePages(c.env, await authorPages(c.env, primaryDb(c.env), author.id, author.slugs));
    return 0;
  }

  const withRow = async (c: Context<AppEnv>): Promise<ListingRow | undefined> =>
    listingRow(primaryDb(c.env), kind, Number(c.req.param('id')));

  const listingForm = (id: (c: Context<AppEnv>) => number | 'new') =>
    validInput('form', listingInputSchema, (c, error, submitted) =>
      page(c, 422, {
        message: 'Please correct the marked fields: nothing has been saved.',
        refused: {
          id: id(c),
          values: submittedStrings(submitted, LISTING_FIELDS),
          errors: firstErrorPerField(error, LISTING_FIELDS),
        },
      }),
    );
  /** The form again, as read (the slug as it would be saved), the photo's address as typed. */
  const refusedInput = async (
    c: Context<AppEnv>,
    id: number | 'new',
    input: ListingInput,
    errors: RefusedForm['errors'],
  ) =>
    page(c, 422, {
      message: 'Nothing has been saved.',
      refused: { id, values: { ...input, photo: submittedStrings(await c.req.parseBody(), ['photo']).photo }, errors },
    });
  const slugRefusal = (c: Context<AppEnv>, id: number | 'new', input: ListingInput) =>
    refusedInput(c, id, input, { slug: slugTaken });
  /** An author's photo must be an image the library has (a typed address could name any hash). */
  const photoRefusal = async (c: Context<AppEnv>, id: number | 'new', input: ListingInput) => {
    if (!words.hasPhoto || !input.photo) return undefined;
    const [found] = await mediaByHashQuery(primaryDb(c.env), input.photo);
    return found ? undefined : refusedInput(c, id, input, { photo: PHOTO_NOT_IN_LIBRARY });
  };

  const routes = new Hono<AppEnv>()
    .get(base, requireRole('administrator'), done.query, (c) =>
      page(c, 200, { message: done.message(c.req.valid('query')) }),
    )
    .post(
      base,
      requireRole('administrator'),
      listingForm(() => 'new'),
      async (c) => {
        const input = c.req.valid('form');
        const refused = await photoRefusal(c, 'new', input);
        if (refused) return refused;
        try {
          await createListing(primaryDb(c.env), kind, input);
        } catch (error) {
          if (failedOnSlug(error)) return slugRefusal(c, 'new', input);
          throw error;
        }
        await purgeFor(c);
        return c.redirect(done.path(base, 'added'), 303);
      },
    )
    .post(
      `${base}/${ID}`,
      requireRole('administrator'),
      listingForm((c) => Number(c.req.param('id'))),
      async (c) => {
        const before = await withRow(c);
        if (!before) return c.notFound();
        const input = c.req.valid('form');
        const refused = await photoRefusal(c, before.id, input);
        if (refused) return refused;
        try {
          await updateListing(primaryDb(c.env), kind, before, input);
        } catch (error) {
          if (failedOnSlug(error)) return slugRefusal(c, before.id, input);
          throw error;
        }
        await purgeFor(c, { id: before.id, slugs: [before.slug, input.slug] });
        return c.redirect(done.path(base, 'saved'), 303);
      },
    )
    .post(
      `${base}/${ID}/merge`,
      requireRole('administrator'),
      validInput('form', mergeInputSchema, (c) => refuse(c, `Choose the ${words.one} to merge it into.`)),
      async (c) => {
        const db = primaryDb(c.env);
        const [from, into] = await Promise.all([withRow(c), listingRow(db, kind, c.req.valid('form').into)]);
        if (!from) return c.notFound();
        if (!into || into.id === from.id) return refuse(c, `Choose another ${words.one} to merge it into.`);
        await mergeListing(db, kind, from, into);
        await purgeFor(c, { id: into.id, slugs: [from.slug, into.slug] });
        return c.redirect(done.path(base, 'merged'), 303);
      },
    )
    .post(`${base}/${ID}/delete`, requireRole('administrator'), async (c) => {
      const row = await withRow(c);
      if (!row) return c.notFound();
      if (row.articles > 0) {
        return refuse(
          c,
          `“${row.name}” has ${row.articles} articles (${row.published} published): merge it into another ${words.one} instead, so that they keep a home and its address keeps working.`,
        );
      }
      await deleteListing(primaryDb(c.env), kind, row);
      await purgeFor(c, { id: row.id, slugs: [row.slug] });
      return c.redirect(done.path(base, 'deleted'), 303);
    });
  if (!words.ordered) return routes;
  return routes.post(
    `${base}/${ID}/move`,
    requireRole('administrator'),
    validInput('form', moveInputSchema, (c) => refuse(c, 'Choose to move it up or down.')),
    async (c) => {
      if (!(await moveSection(primaryDb(c.env), Number(c.req.param('id')), c.req.valid('form').direction))) {
        return c.notFound();
      }
      await purgeFor(c);
      return c.redirect(done.path(base, 'moved'), 303);
    },
  );
}

/** Sections and authors in the admin: created, renamed (the old address redirected), ordered, merged, deleted. */
export const authorsSectionsRoutes = new Hono<AppEnv>()
  .route('/', listingRoutes('section'))
  .route('/', listingRoutes('author'));
