import { z } from 'zod';
import { isTimeZone } from '../lib/dates';
import { emailAddressSchema } from '../lib/email';

export const newsletterSignupSchema = z.object({
  email: emailAddressSchema,
  /** The honeypot: hidden from people, filled in by bots. */
  website: z.string().optional(),
});

export type NewsletterSignupInput = z.infer<typeof newsletterSignupSchema>;

declare module 'hono' {
  interface ContextVariableMap {
    /** A signup that passed validation, the honeypot and the blocklist, for the rate limiter's keys. */
    newsletterSignup: NewsletterSignupInput;
  }
}

/** The unsubscribe page's time-zone form (its token is checked first, as for every link). */
export const timeZoneInputSchema = z.object({
  timeZone: z.string().refine(isTimeZone, 'Choose your time zone from the list.'),
});

export const BLOCKED_DOMAIN = 'We cannot send the newsletter to addresses at this domain. Please use another address.';

/** True when the address is at a blocked domain or one of its subdomains. */
export function isBlockedDomain(email: string, blockedDomains: string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return blockedDomains.some((blocked) => {
    const lower = blocked.toLowerCase();
    return domain === lower || domain.endsWith(`.${lower}`);
  });
}

/** The submitted address as text, whatever was sent, so a refused form comes back as it was typed. */
export function submittedEmail(body: unknown): string {
  const email = body && typeof body === 'object' ? (body as Record<string, unknown>).email : undefined;
  return typeof email === 'string' ? email : '';
}
