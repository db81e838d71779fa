/** A rendered page as every cache level keeps it. */
export interface CachedPage {
  /** An HTML page, an article's Markdown, llms.txt, or the XML or JSON of a feed or sitemap. */
  body: string;
  contentType: string;
  etag: string;
  storedAt: number;
}
