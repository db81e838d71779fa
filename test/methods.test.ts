import { describe, expect, it } from 'vitest';
import { fetchPage, SAMPLE_ARTICLE_PATH } from './helpers';

describe('methods a route does not take', () => {
  it('get 405 with an Allow header, as HTML for pages and JSON for the API', async () => {
    const page = await fetchPage(SAMPLE_ARTICLE_PATH, { method: 'DELETE', headers: { Origin: 'http://localhost:8787' } });
    expect(page.status).toBe(405);
    expect(page.headers.get('Allow')).toBe('GET, HEAD');
    expect(await page.text()).toContain('does not accept DELETE requests');

    const form = await fetchPage(`${SAMPLE_ARTICLE_PATH}/comments`);
    expect(form.status).toBe(405);
    expect(form.headers.get('Allow')).toBe('POST');

    const api = await fetchPage('/api/articles/russia-eyes-korean-peninsula/comments', { method: 'PUT', headers: { 'Content-Type': 'application/json' } });
    expect(api.status).toBe(405);
    expect(api.headers.get('Allow')).toBe('GET, POST, HEAD');
    expect(await api.json()).toEqual({ error: 'This address does not accept PUT requests.' });
  });

  it('leave unknown addresses a 404', async () => {
    expect((await fetchPage('/nothing/here', { method: 'POST', headers: { Origin: 'http://localhost:8787' } })).status).toBe(404);
  });
});
