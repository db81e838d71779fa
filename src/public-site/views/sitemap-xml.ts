import { escapeXml } from '../../lib/xml';

export interface SitemapUrl {
  /** Absolute. */
  loc: string;
  lastmod?: Date;
}

export const SITEMAP_CONTENT_TYPE = 'application/xml; charset=UTF-8';

/** A sitemaps.org `urlset`. */
export function sitemapXml(urls: SitemapUrl[]): string {
  const entries = urls.map(
    ({ loc, lastmod }) =>
      `<url><loc>${escapeXml(loc)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries.join('\n')}
</urlset>
`;
}

/** Crawlers may read every public page but the editors' pages, the JSON API, search results and the health check; the sitemap lists the rest. */
export function robotsTxt(sitemapUrl: string): string {
  return `User-agent: *
Disallow: /admin
Disallow: /api/
Disallow: /search
Disallow: /healthz

Sitemap: ${sitemapUrl}
`;
}
