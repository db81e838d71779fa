import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, submitCommentForm, visibleText } from '../support/helpers';

describe('methods a route does not take', () => {
  it('get 405 with an Allow header, as HTML for pages and JSON for the API', async () => {
    const page = await fetchPage(SAMPLE_ARTICLE_PATH, {
      method: 'DELETE',
      headers: { Origin: 'http://localhost:8787' },
    });
    expect(page.status).toBe(405);
    expect(page.headers.get('Allow')).toBe('GET, HEAD');
    expect(await page.text()).toContain('does not accept DELETE requests');

    const form = await fetchPage(`${SAMPLE_ARTICLE_PATH}/comments`);
    expect(form.status).toBe(405);
    expect(form.headers.get('Allow')).toBe('POST');

    const api = await fetchPage('/api/articles/russia-eyes-korean-peninsula/comments', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(api.status).toBe(405);
    expect(api.headers.get('Allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expect(await api.json()).toEqual({ error: 'This address does not accept PUT requests.' });
  });

  it('leave unknown addresses a 404', async () => {
    expect(
      (await fetchPage('/nothing/here', { method: 'POST', headers: { Origin: 'http://localhost:8787' } })).status,
    ).toBe(404);
  });
});

describe('oversized bodies', () => {
  it('get 413 with a clear message on every POST, as HTML for forms and JSON for the API', async () => {
    const huge = 'x'.repeat(70 * 1024);
    const form = await fetchPage(`${SAMPLE_ARTICLE_PATH}/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost:8787' },
      body: new URLSearchParams({ name: 'Big', email: 'big@example.com', comment: huge }),
    });
    expect(form.status).toBe(413);
    expect(form.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await form.text()).toContain('What you sent is too large (at most 64 KB).');

    for (const path of ['/api/articles/russia-eyes-korean-peninsula/comments', '/api/newsletter/subscriptions']) {
      const api = await fetchPage(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ comment: huge }),
      });
      expect(api.status, path).toBe(413);
      expect(await api.json()).toEqual({ error: 'What you sent is too large (at most 64 KB).' });
    }
    const signup = await fetchPage('/newsletter', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost:8787' },
      body: new URLSearchParams({ email: huge }),
    });
    expect(signup.status).toBe(413);
  });
});

describe('security headers', () => {
  it('send a Content-Security-Policy without unsafe-inline scripts on every HTML response', async () => {
    const responses = [
      await fetchPage('/'),
      await fetchPage(SAMPLE_ARTICLE_PATH),
      await fetchPage(SAMPLE_ARTICLE_PATH),
      await fetchPage('/no/such/page'),
      await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: '', email: '', comment: '' }),
    ];
    for (const response of responses) {
      expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
      const policy = response.headers.get('Content-Security-Policy')!;
      expect(policy).toContain("script-src 'none'");
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(response.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/);
      expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    }
  });
});

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
