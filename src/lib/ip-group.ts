function expandIpv6(address: string): number[] | null {
  const [head = '', tail, ...rest] = address.split('::');
  if (rest.length > 0) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  const missing = 8 - start.length - end.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...start, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...end];
  return groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}

/**
 * The network a client address belongs to, for rate limiting: the /24 of an IPv4 address, the /48
 * of an IPv6 one (what one subscriber or one small provider customer typically holds).
 */
export function ipGroup(address: string): string {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (ipv4) return `${ipv4[1]}.${ipv4[2]}.${ipv4[3]}.0/24`;
  const groups = address.includes(':') ? expandIpv6(address.replace(/%.*$/, '').toLowerCase()) : null;
  if (groups)
    return `${groups
      .slice(0, 3)
      .map((group) => group.toString(16))
      .join(':')}::/48`;
  return 'unknown';
}

/** The reader's network address, as Cloudflare passes it on; null when the request did not come through Cloudflare. */
export const clientAddress = (c: { req: { header: (name: string) => string | undefined } }) =>
  c.req.header('CF-Connecting-IP') ?? null;
