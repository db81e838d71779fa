import { asc } from 'drizzle-orm';
import type { SiteConfig } from '../config';
import type { ArticleSummary } from '../db/articles';
import type { Db } from '../db/client';
import { sections } from '../db/schema';
import { markdownText } from '../lib/markdown';
import { absoluteUrl, articleMarkdownPath, articlePath, FEED_FORMATS, feedPath, sectionPath } from '../paths';

/** How many of the latest articles llms.txt links. */
export const LLMS_TXT_ARTICLES = 30;

/** The sections with their descriptions, in navigation order. */
export function describedSectionsQuery(db: Db) {
  return db
    .select({ slug: sections.slug, name: sections.name, description: sections.description })
    .from(sections)
    .orderBy(asc(sections.position), asc(sections.name));
}

type DescribedSection = Awaited<ReturnType<typeof describedSectionsQuery>>[number];

const FEED_NAMES = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;

/** `- [name](url): notes`, the list item llms.txt's sections are made of. */
const linkItem = (name: string, url: string, notes: string) =>
  `- [${markdownText(name)}](${url})${notes.trim() ? `: ${markdownText(notes)}` : ''}`;

/**
 * The site as llmstxt.org describes it for language models: its name as the H1, its tagline as the
 * blockquote, a line on the Markdown and the feeds, then the sections (with their descriptions) and
 * the latest articles, each linked to its Markdown.
 */
export function llmsTxt(site: SiteConfig, described: DescribedSection[], latest: ArticleSummary[]): string {
  const url = (path: string) => absoluteUrl(site.url, path);
  const feeds = FEED_FORMATS.map((format) => `[${FEED_NAMES[format]}](${url(feedPath(format))})`).join(', ');
  return `${[
    `# ${markdownText(site.name)}`,
    `> ${markdownText(site.tagline)}`,
    `Every article is also a Markdown document at its address with \`.md\` appended, as linked below. The latest articles are in the feeds: ${feeds}.`,
    `## Sections\n\n${described.map((section) => linkItem(section.name, url(sectionPath(section.slug)), section.description)).join('\n')}`,
    `## Latest articles\n\n${latest
      .map((article) =>
        linkItem(article.headline, url(articleMarkdownPath(articlePath(article, site.timeZone))), article.standfirst),
      )
      .join('\n')}`,
  ].join('\n\n')}\n`;
}
