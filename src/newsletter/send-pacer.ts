import { DurableObject } from 'cloudflare:workers';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PaceLimits {
  perSecond: number;
  /** 0: no daily limit. */
  perDay: number;
}

export interface Reservation {
  /** How many of the asked-for sends may go now. */
  granted: number;
  /** For the rest: when to ask again (the next second, or the next UTC day once the day's quota is used). */
  retryAfterSeconds: number;
}

/** Seconds from `nowMs` to the next UTC midnight. */
export const secondsToNextUtcDay = (nowMs: number) => Math.ceil((DAY_MS - (nowMs % DAY_MS)) / 1000);

/**
 * One for the whole site: counts the newsletter's sends in the current second and the current UTC
 * day, exactly (a Durable Object handles one call at a time), so however many queue consumers run,
 * no second carries more than the rate and no day more than the quota.
 */
export class SendPacer extends DurableObject<Env> {
  /** Grants up to `count` sends at `nowMs` (the caller's clock, so tests can move it). */
  reserve(count: number, nowMs: number, limits: PaceLimits): Reservation {
    const storage = this.ctx.storage.kv;
    const second = Math.floor(nowMs / 1000);
    const day = Math.floor(nowMs / DAY_MS);
    const inSecond = storage.get<number>('second') === second ? (storage.get<number>('inSecond') ?? 0) : 0;
    const inDay = storage.get<number>('day') === day ? (storage.get<number>('inDay') ?? 0) : 0;
    const dayLeft = limits.perDay > 0 ? Math.max(0, limits.perDay - inDay) : Number.POSITIVE_INFINITY;
    const granted = Math.max(0, Math.min(count, limits.perSecond - inSecond, dayLeft));
    storage.put('second', second);
    storage.put('inSecond', inSecond + granted);
    storage.put('day', day);
    storage.put('inDay', inDay + granted);
    return { granted, retryAfterSeconds: dayLeft - granted <= 0 ? secondsToNextUtcDay(nowMs) : 1 };
  }

  /** Seconds until sends may go again: 0 unless the day's quota is used up. */
  pausedFor(nowMs: number, limits: PaceLimits): number {
    if (limits.perDay === 0) return 0;
    const storage = this.ctx.storage.kv;
    const inDay = storage.get<number>('day') === Math.floor(nowMs / DAY_MS) ? (storage.get<number>('inDay') ?? 0) : 0;
    return inDay >= limits.perDay ? secondsToNextUtcDay(nowMs) : 0;
  }
}

export const sendPacer = (env: Env) => env.SEND_PACER.get(env.SEND_PACER.idFromName('newsletter'));
