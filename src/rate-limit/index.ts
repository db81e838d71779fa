import type { Context, Env as HonoEnv, Input, MiddlewareHandler } from 'hono';
import type { BlankInput } from 'hono/types';
import { logEvent } from '../lib/log';
import type { RateLimitDecision, RateLimiter } from './rate-limiter-object';

export interface RateLimitRule {
  /** Hits allowed per window. */
  limit: number;
  windowSeconds: number;
  /** What the visitor is told when this rule refuses them. */
  message: string;
}

export interface RateLimitKey {
  /** What is counted, e.g. `comment-ip:203.0.113.0/24` or `comment-email:reader@example.com`. */
  key: string;
  rules: RateLimitRule[];
  /**
   * The key names a person (an email address), not the network asking: its count never shows in the
   * `RateLimit-*` headers, so an answer does not tell whether someone else used that address lately.
   */
  personal?: boolean;
}

export interface RateLimitRefusal {
  rule: RateLimitRule;
  retryAfterSeconds: number;
}

export interface RateLimitOptions<E extends HonoEnv, P extends string, I extends Input> {
  namespace: (c: Context<E, P, I>) => DurableObjectNamespace<RateLimiter>;
  /** The keys this request counts against; each key is counted in its own Durable Object. */
  keys: (c: Context<E, P, I>) => RateLimitKey[] | Promise<RateLimitKey[]>;
  /** The answer when a key is over its limit (a 429 page for forms, JSON for the API…). */
  onLimited: (c: Context<E, P, I>, refusal: RateLimitRefusal) => Response | Promise<Response>;
  /** The clock, injectable for tests. */
  now?: () => number;
}

/**
 * Counts each request against its keys and refuses it, with `Retry-After` and `RateLimit-*`
 * headers, once any key is over one of its rules. Counting is exact under concurrency: every key
 * is a SQLite-backed Durable Object (see RateLimiter).
 *
 * @example
 * route.post('/comments', rateLimit({
 *   namespace: (c) => c.env.RATE_LIMITER,
 *   keys: (c) => [{ key: `ip:${ip(c)}`, rules: [{ limit: 2, windowSeconds: 60, message: 'Slow down' }] }],
 *   onLimited: (c, { rule }) => c.text(rule.message, 429),
 * }), handler)
 */
export function rateLimit<E extends HonoEnv, P extends string = string, I extends Input = BlankInput>(
  options: RateLimitOptions<E, P, I>,
): MiddlewareHandler<E, P, I> {
  return async function rateLimitMiddleware(c, next) {
    const now = options.now?.() ?? Date.now();
    const namespace = options.namespace(c);
    const keys = await options.keys(c);
    const decisions = await Promise.all(
      keys.map(async ({ key, rules, personal }) => {
        const stub = namespace.get(namespace.idFromName(key));
        return { key, rules, personal, decision: await stub.hit(windowsOf(rules), now) };
      }),
    );
    if (decisions.length === 0) return next();

    const refused = decisions
      .filter(({ decision }) => !decision.allowed)
      .sort((a, b) => b.decision.resetMs - a.decision.resetMs)[0];
    const visible = decisions.filter(({ personal }) => !personal);
    const shown =
      (refused && !refused.personal ? refused : undefined) ??
      visible.reduce<(typeof visible)[number] | undefined>(
        (a, b) => (a === undefined || b.decision.remaining < a.decision.remaining ? b : a),
        undefined,
      );
    const headers: Record<string, string> = shown
      ? {
          'RateLimit-Limit': String(shown.decision.limit),
          'RateLimit-Remaining': String(shown.decision.remaining),
          'RateLimit-Reset': String(Math.max(1, Math.ceil(shown.decision.resetMs / 1000))),
        }
      : {};

    if (refused) {
      const resetSeconds = Math.max(1, Math.ceil(refused.decision.resetMs / 1000));
      const rule = refused.rules[refused.decision.refusedBy ?? 0]!;
      // The kind of key (`comment-ip`), never the key itself: it may hold an address or an email.
      logEvent('warn', 'rate-limit.refused', {
        requestId: (c.var as { requestId?: string }).requestId,
        path: c.req.path,
        key: refused.key.split(':')[0],
        limit: rule.limit,
        windowSeconds: rule.windowSeconds,
        retryAfterSeconds: resetSeconds,
      });
      const response = await options.onLimited(c, { rule, retryAfterSeconds: resetSeconds });
      const limited = new Response(response.body, response);
      for (const [name, value] of Object.entries({ ...headers, 'Retry-After': String(resetSeconds) })) {
        limited.headers.set(name, value);
      }
      return limited;
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

const windowsOf = (rules: RateLimitRule[]) =>
  rules.map((rule) => ({ limit: rule.limit, windowMs: rule.windowSeconds * 1000 }));

/**
 * For limits on failures rather than attempts: counts this attempt against every key at once (each
 * key's count is exact, so 30 concurrent attempts are never all let through while none is counted
 * yet), and hands back `release`, which takes the hits back once the attempt turns out not to be a
 * failure. A refused attempt releases what it was counted in already.
 */
export async function reserveHits(
  namespace: DurableObjectNamespace<RateLimiter>,
  keys: RateLimitKey[],
  now: number,
): Promise<{ refusal?: RateLimitRefusal; release: () => Promise<void> }> {
  const decisions = await Promise.all(
    keys.map(async ({ rules, key }) => ({
      key,
      rules,
      decision: await namespace.get(namespace.idFromName(key)).hit(windowsOf(rules), now),
    })),
  );
  const release = async () => {
    await Promise.all(
      decisions
        .filter(({ decision }) => decision.allowed)
        .map(({ key }) => namespace.get(namespace.idFromName(key)).release(now)),
    );
  };
  const refusal = refusalOf(decisions);
  if (refusal) await release();
  return { refusal, release };
}

/** Counts one attempt against each key outside a middleware chain: the refusal, if any key was already full. */
export async function hitLimits(
  namespace: DurableObjectNamespace<RateLimiter>,
  keys: RateLimitKey[],
  now: number,
): Promise<RateLimitRefusal | undefined> {
  return refusalOf(
    await Promise.all(
      keys.map(async ({ rules, key }) => ({
        rules,
        decision: await namespace.get(namespace.idFromName(key)).hit(windowsOf(rules), now),
      })),
    ),
  );
}

function refusalOf(decisions: { rules: RateLimitRule[]; decision: RateLimitDecision }[]): RateLimitRefusal | undefined {
  const refused = decisions
    .filter(({ decision }) => !decision.allowed)
    .sort((a, b) => b.decision.resetMs - a.decision.resetMs)[0];
  if (!refused) return undefined;
  return {
    rule: refused.rules[refused.decision.refusedBy ?? 0]!,
    retryAfterSeconds: Math.max(1, Math.ceil(refused.decision.resetMs / 1000)),
  };
}

/** "45 seconds", "3 minutes": how long a refused client has to wait, for the sentence that tells them. */
export function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
