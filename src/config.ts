import { z } from 'zod';
import { MODERATION_MODES, type ModerationMode, parseWordList } from './comments/rules';
import { FORM_TOKEN_MAX_AGE_MS } from './lib/form-token';

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
  // A cached page carries the comment form's token; it may be served for twice its TTL (fresh,
  // then stale while re-rendered), which must leave a reader most of the token's lifetime to write.
  PAGE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(FORM_TOKEN_MAX_AGE_MS / 1000 / 4, 'must be at most a quarter of the comment form token lifetime'),
  COMMENT_MODERATION: z.enum(MODERATION_MODES),
  COMMENT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1),
  COMMENT_LIMIT_PER_HOUR: z.coerce.number().int().min(1),
  COMMENT_FLOOD_SECONDS: z.coerce.number().int().min(1).max(3600),
  COMMENT_HOLD_WORDS: z.string().default(''),
  COMMENT_SPAM_WORDS: z.string().default(''),
  NEWSLETTER_FROM: z.email(),
  NEWSLETTER_BLOCKED_DOMAINS: z.string().default(''),
  NEWSLETTER_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1),
});

export type SiteConfig = {
  name: string;
  tagline: string;
  url: string;
  newsletterName: string;
  timeZone: string;
  articlesPerPage: number;
  pageCacheTtlSeconds: number;
  comments: {
    moderation: ModerationMode;
    limitPerMinute: number;
    limitPerHour: number;
    floodSeconds: number;
    holdWords: string[];
    spamWords: string[];
  };
  newsletter: {
    /** The sender address of every newsletter email (confirmations and issues). */
    from: string;
    /** Email domains refused at signup, lower case; their subdomains are refused too. */
    blockedDomains: string[];
    signupsPerHour: number;
  };
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
    comments: {
      moderation: vars.COMMENT_MODERATION,
      limitPerMinute: vars.COMMENT_LIMIT_PER_MINUTE,
      limitPerHour: vars.COMMENT_LIMIT_PER_HOUR,
      floodSeconds: vars.COMMENT_FLOOD_SECONDS,
      holdWords: parseWordList(vars.COMMENT_HOLD_WORDS),
      spamWords: parseWordList(vars.COMMENT_SPAM_WORDS),
    },
    newsletter: {
      from: vars.NEWSLETTER_FROM,
      blockedDomains: parseWordList(vars.NEWSLETTER_BLOCKED_DOMAINS),
      signupsPerHour: vars.NEWSLETTER_SIGNUPS_PER_HOUR,
    },
  };
  parsed.set(env, config);
  return config;
}
