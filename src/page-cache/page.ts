/** A rendered page as every cache level keeps it. */
export interface CachedPage {
  /** An HTML page, or the XML of a feed or sitemap. */
  body: string;
  contentType: string;
  etag: string;
  storedAt: number;
}
