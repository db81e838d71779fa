/**
 * The newsletter editor's commands against a running local server (`npm start`):
 *   npm run newsletter:send                  records this week's issue and queues it (as the weekly cron does)
 *   npm run newsletter:preview               writes the issue a send would go out with to .wrangler/newsletter-preview.html
 * `--url http://127.0.0.1:8790` targets another server. The bearer token is MODERATOR_TOKEN from .dev.vars.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readDevVars } from './dev-vars';

const PREVIEW_FILE = '.wrangler/newsletter-preview.html';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const urlIndex = args.indexOf('--url');
  const base = (urlIndex >= 0 ? args[urlIndex + 1] : undefined) ?? 'http://127.0.0.1:8787';
  const token = readDevVars().MODERATOR_TOKEN;
  if (!token) throw new Error('No MODERATOR_TOKEN in .dev.vars: run `npm start` once first.');
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

  if (command === 'send') {
    const response = await fetch(`${base}/api/newsletter/issues/send`, { method: 'POST', headers, body: '{}' });
    console.log(response.status, JSON.stringify(await response.json(), null, 2));
    if (response.ok)
      console.log(
        'Local mail (Email Service) is written as .txt and .html files under .wrangler/tmp/email/ (the server log has each path); with NEWSLETTER_BULK_SENDER=resend, issues go to RESEND_API_URL.',
      );
  } else if (command === 'preview') {
    const response = await fetch(`${base}/api/newsletter/issues/current/preview`, { headers });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    mkdirSync('.wrangler', { recursive: true });
    writeFileSync(PREVIEW_FILE, await response.text());
    console.log(`Preview written to ${PREVIEW_FILE}: open it in a browser.`);
  } else {
    throw new Error('Usage: tsx src/cli/newsletter.ts send|preview [--url http://127.0.0.1:8787]');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
