/**
 * Reads a Ghost export (Settings → Labs → Export, Ghost 2 to 6): `{"db":[{"meta":…,"data":{…}}]}`,
 * its tables as rows. Only the tables and columns the import uses are checked (with zod); Ghost adds
 * columns from version to version, and those are ignored.
 */
import { z } from 'zod';

/** A file that is JSON but not a Ghost export this reads. */
export class GhostError extends Error {}

const id = z.union([z.string(), z.number()]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
/** Ghost writes times as ISO strings (and, before 1.0, milliseconds); null for a draft never published. */
const time = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => {
    const date = value === null || value === undefined ? undefined : new Date(value);
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  });
const flag = z
  .union([z.boolean(), z.number()])
  .nullish()
  .transform((value) => Boolean(value));

const post = z.object({
  id,
  title: text,
  slug: z.string(),
  html: text,
  mobiledoc: text,
  lexical: text,
  feature_image: text,
  /** Ghost 3 and later; Ghost 2 has `page` (0 or 1) instead. */
  type: z.string().nullish(),
  page: flag,
  status: z.string(),
  visibility: z
    .string()
    .nullish()
    .transform((value) => value ?? 'public'),
  published_at: time,
  custom_excerpt: text,
  /** Ghost 2's single author; later exports name authors in posts_authors. */
  author_id: id.nullish(),
});
const tag = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  description: text,
  visibility: z
    .string()
    .nullish()
    .transform((value) => value ?? 'public'),
});
const user = z.object({ id, name: text, slug: z.string() });
const sortOrder = z
  .number()
  .nullish()
  .transform((value) => value ?? 0);
const member = z.object({
  id,
  email: z.string(),
  /** Ghost 3 and 4: the member's consent to the newsletter. */
  subscribed: flag.optional(),
  /** Ghost 5 and later: emails bounced or complained about; nothing is sent. */
  email_disabled: flag,
  created_at: time,
});
const table = <Row extends z.ZodType>(row: Row) => z.array(row).optional().default([]);

const data = z.object({
  posts: z.array(post),
  posts_meta: table(z.object({ post_id: id, feature_image_alt: text, feature_image_caption: text })),
  tags: table(tag),
  posts_tags: table(z.object({ post_id: id, tag_id: id, sort_order: sortOrder })),
  users: table(user),
  posts_authors: table(z.object({ post_id: id, author_id: id, sort_order: sortOrder })),
  members: table(member),
  /** Ghost 5 and later: a member's newsletters; none means no consent. Undefined in older exports. */
  members_newsletters: z.array(z.object({ member_id: id, newsletter_id: id })).optional(),
});
const exportBody = z.object({ meta: z.object({ version: z.string() }), data });

export type GhostPost = z.infer<typeof post>;
export type GhostTag = z.infer<typeof tag>;
export interface Ghost extends z.infer<typeof data> {
  version: string;
}

/** Reads the export in `text`; throws a GhostError naming what is wrong. */
export function readGhost(text: string): Ghost {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GhostError(`not JSON: ${(error as Error).message}`);
  }
  // Ghost writes {"db":[{"meta","data"}]}; an export edited by hand is sometimes just {"meta","data"}.
  const body = typeof json === 'object' && json !== null && 'db' in json ? [json.db].flat()[0] : json;
  if (typeof body !== 'object' || body === null || !('data' in body)) {
    throw new GhostError(
      'JSON, but not a Ghost export: it has no "db" (Ghost 2 to 6 write {"db":[{"meta":…,"data":…}]})',
    );
  }
  const parsed = exportBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GhostError(`not a Ghost export this reads: ${issue.path.join('.')}: ${issue.message}`);
  }
  const { meta, data: tables } = parsed.data;
  const major = Number(meta.version.split('.')[0]);
  if (!(major >= 2 && major <= 6)) {
    throw new GhostError(`a Ghost ${meta.version} export: this reads Ghost 2 to 6`);
  }
  return { version: meta.version, ...tables };
}
