import { z } from 'zod';

const siteConfigSchema = z.object({
  SITE_NAME: z.string().min(1),
  SITE_TAGLINE: z.string(),
  SITE_URL: z.url(),
  NEWSLETTER_NAME: z.string().min(1),
  TIME_ZONE: z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'not an IANA time zone'),
  ARTICLES_PER_PAGE: z.coerce.number().int().min(1).max(100),
  PAGE_CACHE_TTL_SECONDS: z.coerce.number().int().min(60),
});

export type SiteConfig = {
  name: string;
  tagline: string;
  url: string;
  newsletterName: string;
  timeZone: string;
  articlesPerPage: number;
  pageCacheTtlSeconds: number;
};

const parsed = new WeakMap<object, SiteConfig>();

/** Reads the site settings from the Worker's `[vars]`, failing loudly on a misconfiguration. */
export function siteConfig(env: Env): SiteConfig {
  const cached = parsed.get(env);
  if (cached) return cached;
  const vars = siteConfigSchema.parse(env);
  const config: SiteConfig = {
    name: vars.SITE_NAME,
    tagline: vars.SITE_TAGLINE,
    url: vars.SITE_URL.replace(/\/$/, ''),
    newsletterName: vars.NEWSLETTER_NAME,
    timeZone: vars.TIME_ZONE,
    articlesPerPage: vars.ARTICLES_PER_PAGE,
    pageCacheTtlSeconds: vars.PAGE_CACHE_TTL_SECONDS,
  };
  parsed.set(env, config);
  return config;
}
