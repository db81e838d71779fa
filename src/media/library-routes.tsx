import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AppEnv, validInput } from '../app-env';
import { siteConfig } from '../config';
import { primaryDb } from '../db/client';
import { doneMessages } from '../layout/done-messages';
import { firstErrorPerField, submittedStrings } from '../lib/form-errors';
import { keysetLinks, type Place, placeParam } from '../lib/pagination';
import { requireRole } from '../staff/require-role';
import { HASH_PATTERN } from './keys';
import { deleteMediaRow, mediaInUse, mediaLibraryQueries } from './queries';
import { MEDIA_UPLOAD_FIELDS, mediaUploadSchema, REFUSALS } from './rules';
import { removeImageFiles, storeUpload } from './store';
import { LibraryPage, type LibraryPageProps } from './views/library-page';

const PER_PAGE = 30;
const IMAGE_HASH = new RegExp(`^${HASH_PATTERN}$`);
export const MEDIA_LIBRARY_PATH = '/admin/media';

type FormState = Pick<LibraryPageProps, 'values' | 'errors' | 'message'>;

async function libraryPage(c: Context<AppEnv>, status: 200 | 409 | 422, after: Place | undefined, form: FormState) {
  const db = primaryDb(c.env);
  const [read, newerRead] = await db.batch(mediaLibraryQueries(db, { after, perPage: PER_PAGE }));
  const { rows, older, newer } = keysetLinks(read, newerRead, {
    perPage: PER_PAGE,
    after,
    placeOf: (row) => ({ at: row.createdAt.getTime(), id: row.id }),
  });
  c.status(status);
  return c.render(
    <LibraryPage rows={rows} older={older} newer={newer} timeZone={siteConfig(c.env).timeZone} {...form} />,
    { title: 'Images' },
  );
}

const refused = (c: Context<AppEnv>, values: FormState['values'], errors: FormState['errors']) =>
  libraryPage(c, 422, undefined, {
    values,
    errors,
    message: { text: 'The image was not uploaded: see the message at the field.', kind: 'alert' },
  });

const done = doneMessages({
  uploaded: 'Uploaded: it is first in the list, with the Markdown that puts it in an article.',
  deleted: 'Deleted: the image and its variants are gone.',
});

const libraryQuery = validInput(
  'query',
  done.schema.extend({
    after: placeParam.optional().catch(undefined),
    /** The library's old numbered pages: answered with its first page. */
    page: z.string().optional(),
  }),
);

const uploadForm = validInput('form', mediaUploadSchema, (c, error, submitted) =>
  refused(c, submittedStrings(submitted, MEDIA_UPLOAD_FIELDS), firstErrorPerField(error, MEDIA_UPLOAD_FIELDS)),
);

/** The editors' media library (under /admin, behind its sign-in): upload an image, list uploads. */
export const mediaLibraryRoutes = new Hono<AppEnv>()
  .get(MEDIA_LIBRARY_PATH, requireRole('contributor'), libraryQuery, async (c) => {
    const { after, page } = c.req.valid('query');
    if (page !== undefined) return c.redirect(MEDIA_LIBRARY_PATH, 302);
    const text = done.message(c.req.valid('query'));
    return libraryPage(c, 200, after, { values: {}, errors: {}, message: text ? { text, kind: 'status' } : undefined });
  })
  .post(MEDIA_LIBRARY_PATH, requireRole('contributor'), uploadForm, async (c) => {
    const input = c.req.valid('form');
    const file = (await c.req.parseBody()).file;
    const values = { alt: input.alt, credit: input.credit };
    if (!(file instanceof File) || file.size === 0) return refused(c, values, { file: REFUSALS.missing });
    const stored = await storeUpload(c.env, primaryDb(c.env), file, { ...input, staffMemberId: c.var.staffMember.id });
    if (!stored.ok) return refused(c, values, { file: stored.message });
    return c.redirect(done.path(MEDIA_LIBRARY_PATH, 'uploaded'), 303);
  })
  // Editors delete an image nothing shows (no article, revision or author photo): its files and its row.
  .post(`${MEDIA_LIBRARY_PATH}/:hash/delete`, requireRole('editor'), async (c) => {
    const db = primaryDb(c.env);
    const hash = c.req.param('hash');
    if (!IMAGE_HASH.test(hash)) return c.notFound();
    if (await mediaInUse(db, hash)) {
      return libraryPage(c, 409, undefined, {
        values: {},
        errors: {},
        message: {
          text: 'Not deleted: an article, a revision or an author’s photo shows this image. Remove it there first.',
          kind: 'alert',
        },
      });
    }
    if (!(await deleteMediaRow(db, hash))) return c.notFound();
    await removeImageFiles(c.env, new URL(c.req.url).origin, hash);
    return c.redirect(done.path(MEDIA_LIBRARY_PATH, 'deleted'), 303);
  });
