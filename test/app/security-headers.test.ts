import { describe, expect, it } from 'vitest';
import { fetchPage, SAMPLE_ARTICLE_PATH, submitCommentForm } from '../support/helpers';

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
