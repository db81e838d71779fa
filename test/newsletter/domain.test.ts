import { describe, expect, it } from 'vitest';
import { isoWeek } from '../../src/lib/dates';
import { isBlockedDomain } from '../../src/newsletter/signup-input';
import {
  CONFIRMATION_TOKEN_LIFETIME_MS,
  checkSubscriptionToken,
  createSubscriptionToken,
} from '../../src/newsletter/subscription-token';

describe('subscription tokens', () => {
  const secret = 'unit-test-secret';
  it('confirm tokens hold for 7 days; unsubscribe tokens never expire; each only for its purpose and secret', async () => {
    const now = Date.UTC(2026, 10, 30);
    const confirm = await createSubscriptionToken(secret, 'confirm', 42, now);
    expect(
      await checkSubscriptionToken(secret, 'confirm', confirm, now + CONFIRMATION_TOKEN_LIFETIME_MS - 1000),
    ).toEqual({ status: 'valid', subscriberId: 42 });
    expect(
      await checkSubscriptionToken(secret, 'confirm', confirm, now + CONFIRMATION_TOKEN_LIFETIME_MS + 1000),
    ).toEqual({ status: 'expired' });
    expect(await checkSubscriptionToken(secret, 'unsubscribe', confirm, now)).toEqual({ status: 'invalid' });
    expect(await checkSubscriptionToken('another-secret', 'confirm', confirm, now)).toEqual({ status: 'invalid' });

    const unsubscribe = await createSubscriptionToken(secret, 'unsubscribe', 42, now);
    expect(unsubscribe).toMatch(/^42\.\.[\w-]{43}$/);
    expect(await checkSubscriptionToken(secret, 'unsubscribe', unsubscribe, now + 10 * 365 * 86_400_000)).toEqual({
      status: 'valid',
      subscriberId: 42,
    });
    expect(await checkSubscriptionToken(secret, 'confirm', unsubscribe, now)).toEqual({ status: 'invalid' });
  });
});

describe('newsletter rules', () => {
  it('blocks a listed domain and its subdomains, in any case, and nothing else', () => {
    const blocked = ['mailinator.com', 'YopMail.com'];
    expect(isBlockedDomain('a@mailinator.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@eu.mailinator.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@yopmail.com', blocked)).toBe(true);
    expect(isBlockedDomain('a@notmailinator.com', blocked)).toBe(false);
    expect(isBlockedDomain('mailinator.com@example.com', blocked)).toBe(false);
  });

  it('names the ISO week in the site’s time zone', () => {
    expect(isoWeek(new Date('2026-11-29T16:00:00Z'), 'Asia/Tokyo')).toBe('2026-W49');
    expect(isoWeek(new Date('2026-11-29T16:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeek(new Date('2021-01-03T12:00:00Z'), 'UTC')).toBe('2020-W53');
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });
});
