import type { SiteConfig } from '../../config';
import { escapeXml } from '../../lib/xml';

export interface SitemapUrl {
  /** Absolute. */
  loc: string;
  lastmod?: Date;
}

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=UTF-8';

/** A sitemaps.org document: `urlset` of `url` entries, or `sitemapindex` of `sitemap` entries. */
function sitemapDocument(root: 'urlset' | 'sitemapindex', entry: 'url' | 'sitemap', items: SitemapUrl[]): string {
  const entries = items.map(
    ({ loc, lastmod }) =>
      `<${entry}><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</${entry}>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join('\n')}
</${root}>
`;
}

/** A sitemap file: its pages, each with its last change where known. */
export const sitemapXml = (urls: SitemapUrl[]) => sitemapDocument('urlset', 'url', urls);
/** The sitemap index: the sitemap files, each with its last change where known. */
export const sitemapIndexXml = (files: SitemapUrl[]) => sitemapDocument('sitemapindex', 'sitemap', files);

export interface NewsArticle {
  loc: string;
  title: string;
  publishedAt: Date;
}

/** A Google News sitemap: each article with the publication's name and language, its date and title. */
export function newsSitemapXml(publication: { name: string; language: string }, articles: NewsArticle[]): string {
  const entries = articles.map(
    ({ loc, title, publishedAt }) =>
      `<url><loc>${escapeXml(loc)}</loc><news:news><news:publication><news:name>${escapeXml(
        publication.name,
      )}</news:name><news:language>${publication.language}</news:language></news:publication><news:publication_date>${publishedAt.toISOString()}</news:publication_date><news:title>${escapeXml(
        title,
      )}</news:title></news:news></url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${entries.join('\n')}
</urlset>
`;
}

/**
 * Crawlers may read every public page but the editors' pages, the JSON API, search results and the
 * health check; the sitemap lists the rest. `Content-Signal` (contentsignals.org) says what the
 * content may be used for once collected.
 */
export function robotsTxt(sitemapUrl: string, signals: SiteConfig['contentSignals']): string {
  const signal = Object.entries(signals)
    .map(([use, answer]) => `${use}=${answer}`)
    .join(', ');
  return `# Content signals (https://contentsignals.org): what the content of this site may be used for once
# collected. search: building a search index and showing links and short excerpts (not AI-written
# summaries). ai-input: feeding it to an AI model to answer (retrieval, grounding). ai-train: training
# or fine-tuning AI models. yes allows the use, no refuses it.
User-agent: *
Content-Signal: ${signal}
Disallow: /admin
Disallow: /api/
Disallow: /search
Disallow: /healthz

Sitemap: ${sitemapUrl}
`;
}
