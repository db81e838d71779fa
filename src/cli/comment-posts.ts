import type autocannon from 'autocannon';
import { createFormToken } from '../lib/form-token.ts';
import { LOCAL_SECRETS } from './local-worker.ts';

/**
 * Form tokens for `count` posts to the article `slug`: one each, since a token stores one comment,
 * issued more than the form's 3 s minimum ago.
 */
export async function commentFormTokens(slug: string, count: number): Promise<string[]> {
  const issuedAt = Date.now() - 10_000;
  return Promise.all(
    Array.from({ length: count }, () => createFormToken(LOCAL_SECRETS.FORM_TOKEN_SECRET, `comment:${slug}`, issuedAt)),
  );
}

/** The n-th post of a run: from a /24 of its own (65,536 of them) and a new email address, with a token of its own. */
export function commentPost(origin: string, tokens: string[], n: number) {
  return {
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: origin,
      'CF-Connecting-IP': `10.${(n >> 8) & 255}.${n & 255}.1`,
    },
    body: new URLSearchParams({
      name: 'Load Reader',
      email: `load${n}@example.com`,
      comment: `Load-test comment number ${n}.`,
      token: tokens[n % tokens.length]!,
    }).toString(),
  };
}

/**
 * autocannon requests that post the comment form over and over, so the post is measured rather than
 * the rate limiter's or the used token's refusal (tokens are reused only past `tokens.length` posts).
 */
export function commentPostRequests(origin: string, tokens: string[], first = 0): autocannon.Request[] {
  let posted = first;
  return [
    {
      method: 'POST',
      setupRequest: (request) => ({ ...request, ...commentPost(origin, tokens, ++posted) }),
    },
  ];
}
