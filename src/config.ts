import { z } from 'zod';
import { isTimeZone } from './lib/dates';
import { FORM_TOKEN_MAX_AGE_MS } from './lib/form-token';
import { slugify } from './lib/slug';
import { parseWordList } from './lib/word-list';

/** none: publish every comment; first-time: hold a commenter's first; all: hold every comment. */
export const MODERATION_MODES = ['none', 'first-time', 'all'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

/** A content signal's answer (contentsignals.org): the use is allowed, or refused. */
const contentSignal = z.enum(['yes', 'no'], { error: 'must be yes or no' });

/**
 * The settings, from the Worker's `[vars]`. Each has a default here except the site's address and
 * the newsletter's sender, so an environment in wrangler.toml sets only what differs.
 */
const siteConfigSchema = z.object({
  SITE_NAME: z.string().min(1).default('edgepress'),
  SITE_TAGLINE: z.string().default('Current affairs from the Asia-Pacific, at the speed of the edge'),
  SITE_URL: z.url(),
  NEWSLETTER_NAME: z.string().min(1).default('The edgepress Brief'),
  TIME_ZONE: z.string().default('Asia/Tokyo').refine(isTimeZone, 'not an IANA time zone'),
  ARTICLES_PER_PAGE: z.coerce.number().int().min(1).max(100).default(10),
  // A cached page carries the comment form's token; it may be served for twice its TTL (fresh,
  // then stale while re-rendered), which must leave a reader most of the token's lifetime to write.
  PAGE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(FORM_TOKEN_MAX_AGE_MS / 1000 / 4, 'must be at most a quarter of the comment form token lifetime')
    .default(3600),
  COMMENT_MODERATION: z.enum(MODERATION_MODES).default('first-time'),
  /** Per IP group (/24, /48). */
  COMMENT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(2),
  COMMENT_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Per IP group: refused comment forms shown again (each re-renders the article) before a short page answers instead. */
  COMMENT_REFUSALS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  COMMENT_REFUSALS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** One comment per IP group, and per email, in this many seconds. */
  COMMENT_FLOOD_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** How long after posting a comment its author may edit or delete it, from the same browser. */
  COMMENT_EDIT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** At most one notification email per person per article's discussion in this many minutes; the replies in between go together. */
  COMMENT_NOTIFY_BATCH_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
  /** Moderators are emailed held comments at most once in this many minutes each… */
  MODERATOR_EMAIL_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** …gathered for this long after the first one, so a wave of them is one email. */
  MODERATOR_EMAIL_DELAY_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  /** Comments close this many days after an article is published; 0 keeps them open (editors close one article by hand). */
  COMMENTS_CLOSE_AFTER_DAYS: z.coerce.number().int().min(0).max(36500).default(0),
  /** Comma-separated words or phrases (name, email and text): held for a moderator, or straight to spam. */
  COMMENT_HOLD_WORDS: z.string().default('casino, payday loan, crypto giveaway, backlinks'),
  COMMENT_SPAM_WORDS: z.string().default('viagra, cialis, replica watches'),
  /** The sender of every newsletter email: an address on a domain with Cloudflare Email Routing. */
  NEWSLETTER_FROM: z.email(),
  /** Email domains refused at signup (subdomains too). */
  NEWSLETTER_BLOCKED_DOMAINS: z
    .string()
    .default('mailinator.com, guerrillamail.com, yopmail.com, trashmail.com, 10minutemail.com'),
  /** Signups allowed per IP group (/24, /48) an hour. */
  NEWSLETTER_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Where newsletter issues and test sends go: Email Service (the `send_email` binding), or Resend's bulk API. */
  NEWSLETTER_BULK_SENDER: z.enum(['email-service', 'resend']).default('email-service'),
  /** Resend's API; tests and local runs point it at a local stand-in that answers as Resend documents. */
  RESEND_API_URL: z.url().default('https://api.resend.com'),
  /** A secret (`wrangler secret put RESEND_API_KEY`), needed when NEWSLETTER_BULK_SENDER is resend. */
  RESEND_API_KEY: z.string().min(1).optional(),
  /** Comma-separated addresses that get every test send of an issue, besides the editor who sends it (at most 10). */
  NEWSLETTER_TEST_ADDRESSES: z
    .string()
    .default('')
    .transform(parseWordList)
    .pipe(z.array(z.email('must be a list of email addresses, separated by commas')).max(10)),
  /** Newsletter sends (issues) per second, counted exactly by the SendPacer Durable Object. */
  NEWSLETTER_SENDS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(10),
  /** …and per UTC day; once reached, the send pauses until the next day. 0: no daily limit. */
  NEWSLETTER_SENDS_PER_DAY: z.coerce.number().int().min(0).default(0),
  /**
   * The hour (0–23) at which each subscriber gets an issue, in their own time zone (taken at signup,
   * changeable on the unsubscribe page); empty: every copy goes out as soon as the issue is sent.
   */
  NEWSLETTER_LOCAL_HOUR: z
    .union([z.literal('').transform(() => null), z.coerce.number().int().min(0).max(23)])
    .default(null),
  /** Comments' salted network-address hashes are emptied by the daily Cron Trigger after this many days. */
  IP_HASH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** robots.txt's content signals: may the articles build a search index, be input to AI answers, train AI models. */
  CONTENT_SIGNAL_SEARCH: contentSignal.default('yes'),
  CONTENT_SIGNAL_AI_INPUT: contentSignal.default('yes'),
  CONTENT_SIGNAL_AI_TRAIN: contentSignal.default('no'),
  /** "stripe": `npm run setup` asks for Stripe's two secrets (docs/members.md); without STRIPE_SECRET_KEY nobody can subscribe. */
  PAID_MEMBERSHIP: z.enum(['off', 'stripe']).default('off'),
  /** Stripe's API; tests and local runs point it at a local stand-in that answers as Stripe documents. */
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.stripe.com'),
  /** Days a member keeps paid access after a renewal payment fails, while Stripe retries it. */
  PAID_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(14),
  /** The WebSub hub the feeds name and publishing pings (e.g. https://pubsubhubbub.appspot.com/); empty: none. */
  WEBSUB_HUB: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  /** The publication's fediverse handle (`@handle@host`); empty: the site name's slug. */
  FEDIVERSE_HANDLE: z
    .string()
    .regex(/^([a-z0-9][a-z0-9_-]*)?$/, 'must be lower-case letters, digits, - and _')
    .default(''),
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
    refusalsPerMinute: number;
    refusalsPerHour: number;
    floodSeconds: number;
    editWindowMinutes: number;
    notifyBatchMinutes: number;
    /** 0: never closed by age. */
    closeAfterDays: number;
    holdWords: string[];
    spamWords: string[];
  };
  moderatorEmails: { intervalMinutes: number; delaySeconds: number };
  newsletter: {
    /** The sender address of every newsletter email (confirmations and issues). */
    from: string;
    /** Email domains refused at signup, lower case; their subdomains are refused too. */
    blockedDomains: string[];
    signupsPerHour: number;
    /** Issues and test sends go here; everything else through Email Service. */
    bulkSender: { name: 'email-service' } | { name: 'resend'; apiUrl: string; apiKey: string };
    /** Where test sends go besides the signed-in editor's own address. */
    testAddresses: string[];
    /** Issue sends per second and per UTC day (0: no daily limit). */
    pace: { perSecond: number; perDay: number };
    /** The hour each subscriber's copy arrives in their own time zone; null: as soon as it is sent. */
    localHour: number | null;
  };
  privacy: {
    networkHashRetentionDays: number;
  };
  /** What robots.txt's `Content-Signal` says, in the order it says it. */
  contentSignals: Record<ContentSignalUse, 'yes' | 'no'>;
  /** The WebSub hub of every article feed; null: feeds name none and nothing is pinged. */
  websubHub: string | null;
  /** The publication's actor on the fediverse: `acct:<handle>@<host>` (src/fediverse). */
  fediverseHandle: string;
  paid: {
    /** Where the Stripe library sends its requests. */
    stripe: { host: string; port: number; protocol: 'http' | 'https' };
    graceDays: number;
  };
};

export type ContentSignalUse = 'search' | 'ai-input' | 'ai-train';

function stripeAddress(url: string): SiteConfig['paid']['stripe'] {
  const { hostname, port, protocol } = new URL(url);
  const secure = protocol === 'https:';
  return { host: hostname, port: Number(port) || (secure ? 443 : 80), protocol: secure ? 'https' : 'http' };
}

const parsed = new WeakMap<object, SiteConfig>();

/** Reads the site settings from the Worker's `[vars]`, failing loudly on a misconfiguration. */
export function siteConfig(env: Env): SiteConfig {
  const cached = parsed.get(env);
  if (cached) return cached;
  const read = siteConfigSchema.safeParse(env);
  if (!read.success)
    throw new Error(`The settings ([vars] in wrangler.toml) are wrong:\n${z.prettifyError(read.error)}`);
  const vars = read.data;
  if (vars.NEWSLETTER_BULK_SENDER === 'resend' && !vars.RESEND_API_KEY) {
    throw new Error('NEWSLETTER_BULK_SENDER is resend but the RESEND_API_KEY secret is not set');
  }
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
      refusalsPerMinute: vars.COMMENT_REFUSALS_PER_MINUTE,
      refusalsPerHour: vars.COMMENT_REFUSALS_PER_HOUR,
      floodSeconds: vars.COMMENT_FLOOD_SECONDS,
      editWindowMinutes: vars.COMMENT_EDIT_WINDOW_MINUTES,
      notifyBatchMinutes: vars.COMMENT_NOTIFY_BATCH_MINUTES,
      closeAfterDays: vars.COMMENTS_CLOSE_AFTER_DAYS,
      holdWords: parseWordList(vars.COMMENT_HOLD_WORDS),
      spamWords: parseWordList(vars.COMMENT_SPAM_WORDS),
    },
    moderatorEmails: {
      intervalMinutes: vars.MODERATOR_EMAIL_INTERVAL_MINUTES,
      delaySeconds: vars.MODERATOR_EMAIL_DELAY_SECONDS,
    },
    newsletter: {
      from: vars.NEWSLETTER_FROM,
      blockedDomains: parseWordList(vars.NEWSLETTER_BLOCKED_DOMAINS),
      signupsPerHour: vars.NEWSLETTER_SIGNUPS_PER_HOUR,
      bulkSender:
        vars.NEWSLETTER_BULK_SENDER === 'resend' && vars.RESEND_API_KEY
          ? { name: 'resend', apiUrl: vars.RESEND_API_URL.replace(/\/$/, ''), apiKey: vars.RESEND_API_KEY }
          : { name: 'email-service' },
      testAddresses: vars.NEWSLETTER_TEST_ADDRESSES,
      pace: { perSecond: vars.NEWSLETTER_SENDS_PER_SECOND, perDay: vars.NEWSLETTER_SENDS_PER_DAY },
      localHour: vars.NEWSLETTER_LOCAL_HOUR,
    },
    privacy: { networkHashRetentionDays: vars.IP_HASH_RETENTION_DAYS },
    contentSignals: {
      search: vars.CONTENT_SIGNAL_SEARCH,
      'ai-input': vars.CONTENT_SIGNAL_AI_INPUT,
      'ai-train': vars.CONTENT_SIGNAL_AI_TRAIN,
    },
    websubHub: vars.WEBSUB_HUB || null,
    fediverseHandle: vars.FEDIVERSE_HANDLE || slugify(vars.SITE_NAME) || 'publication',
    paid: { stripe: stripeAddress(vars.STRIPE_API_URL), graceDays: vars.PAID_GRACE_DAYS },
  };
  parsed.set(env, config);
  return config;
}
