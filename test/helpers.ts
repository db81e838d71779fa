import { env, exports } from 'cloudflare:workers';

/** Applies the same seed statements `npm start` runs (generated from src/seed by vitest.config.ts). */
export async function seedDatabase(): Promise<void> {
  await env.DB.batch(env.TEST_SEED.map((statement) => env.DB.prepare(statement)));
}

export const SAMPLE_ARTICLE_PATH = '/2010/11/russia-eyes-korean-peninsula';

/** A request to the Worker, exactly as a browser would send it. */
export function fetchPage(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, 'http://localhost:8787'), init));
}

/** Text content without tags, entities decoded, whitespace collapsed: what a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function clearPageCache(): Promise<void> {
  const { keys } = await env.PAGE_CACHE.list();
  await Promise.all(keys.map((key) => env.PAGE_CACHE.delete(key.name)));
}
