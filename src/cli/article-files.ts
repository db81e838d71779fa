import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ARTICLE_ACCESS, ARTICLE_STATUSES } from '../db/schema.ts';
import { sha256HexOfBytes } from '../lib/hash.ts';
import { checkImage } from '../media/rules.ts';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens');
const instant = z.coerce.date();

const seedCommentSchema = z.object({
  name: z.string().trim().min(1).max(80),
  email: z.email(),
  at: instant,
  body: z.string().trim().min(1).max(5000),
});

export const articleFileSchema = z.object({
  slug,
  headline: z.string().min(1),
  standfirst: z.string().default(''),
  section: slug,
  author: slug,
  tags: z.array(z.string().min(1)).default([]),
  status: z.enum(ARTICLE_STATUSES).default('draft'),
  access: z.enum(ARTICLE_ACCESS).default('public'),
  publishedAt: instant.optional(),
  hero: z
    .object({
      /** An image's address; or `file`, an image beside the Markdown file, stored in R2 like an editor's upload. */
      url: z.string().min(1).optional(),
      file: z.string().min(1).optional(),
      alt: z.string().default(''),
      credit: z.string().default(''),
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
    })
    .refine((hero) => Boolean(hero.url) !== Boolean(hero.file), 'a hero has either a url or a file')
    .optional(),
  comments: z.array(seedCommentSchema).default([]),
});

/** A hero image file, checked as an upload would be: what R2 and the media table get. */
export interface ImageFile {
  bytes: Uint8Array<ArrayBuffer>;
  hash: string;
  type: string;
  width: number;
  height: number;
}

export type ArticleFile = z.infer<typeof articleFileSchema> & { body: string; heroImage?: ImageFile };

async function readImageFile(path: string): Promise<ImageFile> {
  const bytes = new Uint8Array(await readFile(path));
  const checked = checkImage(bytes);
  if (!checked.ok) throw new Error(`${path}: ${checked.message}`);
  return {
    bytes,
    hash: await sha256HexOfBytes(bytes),
    type: checked.type,
    width: checked.width,
    height: checked.height,
  };
}

export const siteFileSchema = z.object({
  sections: z.array(z.object({ slug, name: z.string().min(1), description: z.string().default('') })),
  authors: z.array(z.object({ slug, name: z.string().min(1), bio: z.string().default('') })),
});

export type SiteFile = z.infer<typeof siteFileSchema>;

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one Markdown file with YAML front matter into a validated article. */
export function parseArticleFile(text: string, fileName: string): ArticleFile {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new Error(`${fileName}: no front matter (a --- block) at the top`);
  const result = articleFileSchema.safeParse(parseYaml(match[1]!));
  if (!result.success) throw new Error(`${fileName}: ${z.prettifyError(result.error)}`);
  if (result.data.status === 'published' && !result.data.publishedAt) {
    throw new Error(`${fileName}: a published article needs publishedAt`);
  }
  return { ...result.data, body: match[2]!.trim() };
}

/** The articles, each hero `file` read (relative to its Markdown file). */
export async function readArticleFiles(paths: string[]): Promise<ArticleFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const article = parseArticleFile(await readFile(path, 'utf8'), path);
      const file = article.hero?.file;
      return file ? { ...article, heroImage: await readImageFile(resolve(dirname(path), file)) } : article;
    }),
  );
}

export async function readSiteFile(path: string): Promise<SiteFile> {
  return siteFileSchema.parse(parseYaml(await readFile(path, 'utf8')));
}

/** The seed: the site's sections and authors, and every Markdown article in src/seed/articles. */
export async function readSeed(seedDir: string) {
  const articleDir = join(seedDir, 'articles');
  const names = (await readdir(articleDir)).filter((name) => name.endsWith('.md')).sort();
  return {
    site: await readSiteFile(join(seedDir, 'site.yaml')),
    articles: await readArticleFiles(names.map((name) => join(articleDir, name))),
  };
}
