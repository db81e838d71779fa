import type { ClientKind } from '../db/schema';
import { toLocalDateTime } from '../lib/dates';
import { hmacSign } from '../lib/hmac';

/** One article view as counted: nothing that tells one reader from another. */
export interface View {
  /** "2026-11-27", in the site's time zone. */
  day: string;
  slug: string;
  /** Cloudflare's two-letter country code of the request (`XX` when unknown). */
  country: string;
  /** The host of the page the reader came from, '' when none (typed address, bookmark, email app). */
  referrer: string;
  client: ClientKind;
}

/**
 * Known crawlers, link previewers, feed fetchers and HTTP libraries: their requests are counted apart
 * and never as readers. A browser's user agent names none of these; an empty one is not a browser.
 */
const CRAWLER =
  /bot\b|bot\/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|fetcher|feed|headless|lighthouse|pingdom|uptime|monitor|curl\/|wget\/|python|go-http-client|java\/|httpclient|okhttp|axios|node-fetch|undici|libwww|scrapy|^$/i;

export const clientKind = (userAgent: string): ClientKind => (CRAWLER.test(userAgent) ? 'crawler' : 'browser');

const COUNTRY = /^[A-Z0-9]{2}$/;
const MAX_REFERRER_LENGTH = 100;

function referrerHost(referer: string | undefined): string {
  if (!referer) return '';
  try {
    return new URL(referer).hostname.toLowerCase().slice(0, MAX_REFERRER_LENGTH);
  } catch {
    return '';
  }
}

/**
 * What tells one reader's views of an article apart from another's on one day, and nothing else: an
 * HMAC of the day, the article, the address and the user agent under a secret. It is kept only in
 * that day's counter and deleted with it; a new day makes a new one, so it links nothing across days.
 */
export async function readerMark(secret: string, view: View, address: string, userAgent: string): Promise<string> {
  return hmacSign(secret, `view|${view.day}|${view.slug}|${address}|${userAgent}`);
}

/** The view a request for an article makes; the user agent and the address are read here and kept nowhere. */
export function viewOf(request: Request, slug: string, timeZone: string, now: Date): View {
  const country = (request.cf as { country?: unknown } | undefined)?.country;
  return {
    day: toLocalDateTime(now, timeZone).slice(0, 10),
    slug,
    country: typeof country === 'string' && COUNTRY.test(country) ? country : 'XX',
    referrer: referrerHost(request.headers.get('Referer') ?? undefined),
    client: clientKind(request.headers.get('User-Agent') ?? ''),
  };
}
