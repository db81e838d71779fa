import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { mailboxKey } from '../lib/email';
import { clientAddress, ipGroup } from '../lib/ip-group';
import { describeWait, type RateLimitRefusal, rateLimit } from '../rate-limit';
import { isBlockedDomain, type NewsletterSignupInput } from './signup-input';

/** Signups allowed for one address an hour, whatever network they come from. */
const SIGNUPS_PER_ADDRESS_PER_HOUR = 3;

export const CHECK_YOUR_INBOX =
  'Check your inbox: if that address can receive the newsletter, a confirmation link is on its way.';

/** The sentence shown to a reader whose signup was rate-limited. */
export const signupLimitMessage = ({ rule, retryAfterSeconds }: RateLimitRefusal) =>
  `${rule.message} Please try again in ${describeWait(retryAfterSeconds)}.`;

/**
 * A filled honeypot is answered like a real signup and otherwise ignored; an address at a blocked
 * domain is refused with a clear message (that says nothing about whether it is subscribed).
 */
export function signupVerdict(env: Env, input: NewsletterSignupInput): 'trapped' | 'blocked' | 'ok' {
  if (input.website) return 'trapped';
  return isBlockedDomain(input.email, siteConfig(env).newsletter.blockedDomains) ? 'blocked' : 'ok';
}

/** Signups per IP group (/24, /48) and per address an hour. Runs after `c.var.newsletterSignup` is set. */
export function signupRateLimit(
  onLimited: (c: Context<AppEnv>, refusal: RateLimitRefusal) => Response | Promise<Response>,
) {
  return rateLimit<AppEnv>({
    namespace: (c) => c.env.RATE_LIMITER,
    keys: (c) => [
      {
        key: `signup-ip:${ipGroup(clientAddress(c) ?? '')}`,
        rules: [
          {
            limit: siteConfig(c.env).newsletter.signupsPerHour,
            windowSeconds: 3600,
            message: 'There have been too many newsletter signups from your network.',
          },
        ],
      },
      {
        key: `signup-email:${mailboxKey(c.var.newsletterSignup.email)}`,
        personal: true,
        rules: [
          {
            limit: SIGNUPS_PER_ADDRESS_PER_HOUR,
            windowSeconds: 3600,
            message: 'This address has been signed up several times in the last hour.',
          },
        ],
      },
    ],
    onLimited,
  });
}
