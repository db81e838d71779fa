import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { clearPageCache, fetchPage, visibleText } from '../support/helpers';

describe('error pages', () => {
  it('a 404 is a real HTML page with the site layout', async () => {
    const response = await fetchPage('/no/such/page');
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(visibleText(html)).toContain('Page not found');
    expect(html).toContain('href="/section/security"');
  });

  it('an unexpected failure is a logged 500 page without details for the reader', async () => {
    await clearPageCache();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await env.DB.exec('ALTER TABLE sections RENAME TO sections_away');
    try {
      const response = await fetchPage('/');
      expect(response.status).toBe(500);
      const html = await response.text();
      expect(visibleText(html)).toContain('Something went wrong');
      expect(html).not.toMatch(/sections_away|no such table|SQLITE|at .*\.(ts|js):\d+/i);
      expect(logged).toHaveBeenCalled();
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    } finally {
      await env.DB.exec('ALTER TABLE sections_away RENAME TO sections');
      logged.mockRestore();
    }
    expect((await fetchPage('/')).status).toBe(200);
  });
});
