/** The problems with SITE_URL and NEWSLETTER_FROM, which wrangler.toml's [env.…vars] must set for real. */
export function settingProblems(vars: Record<string, unknown>): string[] {
  const problems: string[] = [];
  let host: string | undefined;
  try {
    const url = new URL(String(vars.SITE_URL ?? ''));
    host = url.hostname;
    if (url.protocol !== 'https:') problems.push(`SITE_URL must be https (${url.href})`);
  } catch {
    problems.push('SITE_URL is missing or not an address');
  }
  const sender = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(String(vars.NEWSLETTER_FROM ?? ''))?.[1]?.toLowerCase();
  if (!sender) problems.push('NEWSLETTER_FROM is missing or not an email address');
  for (const [name, domain] of [
    ['SITE_URL', host],
    ['NEWSLETTER_FROM', sender],
  ] as const) {
    if (domain && /(^|\.)(example|localhost|test|invalid)$|(^|\.)example\.(com|net|org)$/.test(domain)) {
      problems.push(`${name} still uses the placeholder domain ${domain}`);
    }
  }
  // Email Service sends from a domain onboarded in this account: the site's own domain or a parent of it.
  if (host && sender && !(host === sender || host.endsWith(`.${sender}`) || sender.endsWith(`.${host}`))) {
    problems.push(`NEWSLETTER_FROM (@${sender}) is not on the site's domain (${host})`);
  }
  return problems;
}
