/**
 * Reads a Ghost export (Settings → Labs → Export, Ghost 2 to 6): `{"db":[{"meta":…,"data":{…}}]}`,
 * its tables as rows. Only the tables and columns the import uses are checked (with zod); Ghost adds
 * columns from version to version, and those are ignored.
 */
import { JSONParser } from '@streamparser/json';
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
/** The tables the import reads, each row checked as it is read. */
const TABLES = {
  posts: post,
  posts_meta: z.object({ post_id: id, feature_image_alt: text, feature_image_caption: text }),
  tags: tag,
  posts_tags: z.object({ post_id: id, tag_id: id, sort_order: sortOrder }),
  users: user,
  posts_authors: z.object({ post_id: id, author_id: id, sort_order: sortOrder }),
  members: member,
  /** Ghost 5 and later: a member's newsletters; none means no consent. Undefined in older exports. */
  members_newsletters: z.object({ member_id: id, newsletter_id: id }),
};
type Tables = { [Table in keyof typeof TABLES]: z.infer<(typeof TABLES)[Table]>[] };

export type GhostPost = z.infer<typeof post>;
export type GhostTag = z.infer<typeof tag>;
export interface Ghost extends Omit<Tables, 'members_newsletters'> {
  version: string;
  members_newsletters?: Tables['members_newsletters'];
}

/**
 * Reads an export in pieces, as a file is read in chunks, with a streaming JSON parser: each row of
 * the tables the import reads is checked and kept as it ends, except posts, which `write` hands over
 * (their bodies are most of the file); nothing else of the file is held. Ghost writes
 * `{"db":[{"meta","data"}]}`; an export edited by hand is sometimes just `{"meta","data"}`.
 */
export class GhostReader {
  private version: string | undefined;
  private posts: GhostPost[] = [];
  private readonly tables: Omit<Tables, 'posts'> = {
    posts_meta: [],
    tags: [],
    posts_tags: [],
    users: [],
    posts_authors: [],
    members: [],
    members_newsletters: [],
  };
  private readonly parser = new JSONParser({
    paths: ['$.db.*.meta', '$.db.*.data.*.*', '$.db.meta', '$.db.data.*.*', '$.meta', '$.data.*.*'],
    keepStack: false,
  });

  constructor() {
    this.parser.onValue = ({ value, key, stack }) => {
      if (key === 'meta') {
        const meta = z.object({ version: z.string() }).safeParse(value);
        if (!meta.success) throw new GhostError('not a Ghost export this reads: meta.version: no version');
        this.version = meta.data.version;
        return;
      }
      const table = stack.at(-1)?.key;
      if (typeof table !== 'string' || !(table in TABLES)) return;
      const parsed = TABLES[table as keyof Tables].safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new GhostError(
          `not a Ghost export this reads: ${['data', table, key, ...issue.path].join('.')}: ${issue.message}`,
        );
      }
      if (table === 'posts') this.posts.push(parsed.data as GhostPost);
      else {
        (this.tables[table as keyof typeof this.tables] as unknown[]).push(parsed.data);
      }
    };
  }

  /** The posts that ended in this piece; throws a GhostError naming what is wrong. */
  write(chunk: string): GhostPost[] {
    try {
      this.parser.write(chunk);
    } catch (error) {
      throw error instanceof GhostError ? error : this.notJson(error as Error, chunk);
    }
    this.advance(chunk);
    return this.taken();
  }

  /** The export's version and tables, and its last posts; throws a GhostError naming what is wrong. */
  end(): Ghost {
    if (!this.parser.isEnded) {
      try {
        this.parser.end();
      } catch {
        throw new GhostError(
          `not JSON: the file ends (line ${this.line}, column ${this.column}) before its JSON does: it was cut short`,
        );
      }
    }
    if (this.version === undefined) {
      throw new GhostError(
        'JSON, but not a Ghost export: it has no "db" (Ghost 2 to 6 write {"db":[{"meta":…,"data":…}]})',
      );
    }
    const major = Number(this.version.split('.')[0]);
    if (!(major >= 2 && major <= 6)) {
      throw new GhostError(`a Ghost ${this.version} export: this reads Ghost 2 to 6`);
    }
    const { members_newsletters, ...tables } = this.tables;
    return {
      version: this.version,
      posts: this.taken(),
      ...tables,
      // None read is an export from before Ghost 5, whose members say `subscribed` themselves.
      ...(members_newsletters.length > 0 && { members_newsletters }),
    };
  }

  /** Where the next piece starts: its line and column, and its offset in UTF-8 bytes (the parser's unit). */
  private line = 1;
  private column = 1;
  private bytes = 0;

  private advance(text: string) {
    const lines = text.split('\n');
    this.line += lines.length - 1;
    this.column = (lines.length > 1 ? 1 : this.column) + lines.at(-1)!.length;
    this.bytes += new TextEncoder().encode(text).length;
  }

  /** The parser's error as ours, with the character and the line and column it names by byte offset. */
  private notJson(error: Error, chunk: string): GhostError {
    const offset = /absolute position "(\d+)"/.exec(error.message)?.[1];
    if (offset === undefined) return new GhostError(`not JSON: ${error.message}`);
    const bytes = new TextEncoder().encode(chunk);
    const at = Number(offset) - this.bytes;
    this.advance(new TextDecoder().decode(bytes.subarray(0, at)));
    const [character = ''] = new TextDecoder().decode(bytes.subarray(at));
    return new GhostError(
      `not JSON: unexpected ${JSON.stringify(character)} at line ${this.line}, column ${this.column}`,
    );
  }

  private taken() {
    const posts = this.posts;
    this.posts = [];
    return posts;
  }
}

/** Reads the export in `text`, all of it; throws a GhostError naming what is wrong. */
export function readGhost(text: string): Ghost {
  const reader = new GhostReader();
  const posts = reader.write(text);
  const ghost = reader.end();
  return { ...ghost, posts: [...posts, ...ghost.posts] };
}
