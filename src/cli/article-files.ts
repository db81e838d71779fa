import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ARTICLE_STATUSES } from '../db/schema.ts';

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
  publishedAt: instant.optional(),
  hero: z
    .object({
      url: z.string().min(1),
      alt: z.string().default(''),
      credit: z.string().default(''),
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
    })
    .optional(),
  comments: z.array(seedCommentSchema).default([]),
});

export type ArticleFile = z.infer<typeof articleFileSchema> & { body: string };

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

export async function readArticleFiles(paths: string[]): Promise<ArticleFile[]> {
  return Promise.all(paths.map(async (path) => parseArticleFile(await readFile(path, 'utf8'), path)));
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
