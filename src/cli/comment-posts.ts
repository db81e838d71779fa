import type autocannon from 'autocannon';

/**
 * autocannon requests that post the comment form over and over, each from a /24 of its own and a new
 * email address, so the post is measured rather than the rate limiter's refusal.
 */
export function commentPostRequests(origin: string, token: string): autocannon.Request[] {
  let posted = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        posted += 1;
        return {
          ...request,
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Origin: origin,
            'CF-Connecting-IP': `10.${(posted >> 8) & 255}.${posted & 255}.1`,
          },
          body: new URLSearchParams({
            name: 'Load Reader',
            email: `load${posted}@example.com`,
            comment: `Load-test comment number ${posted}.`,
            token,
          }).toString(),
        };
      },
    },
  ];
}
