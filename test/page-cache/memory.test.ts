import { describe, expect, it } from 'vitest';
import { forgetPages, MEMORY_CACHE_TTL_SECONDS, recallPage, rememberPage } from '../../src/page-cache/memory';

const page = (body: string) => ({ body, contentType: 'text/html; charset=UTF-8', etag: '"e"', storedAt: 0 });

describe('the isolate’s page memory', () => {
  it('forgets a page after MEMORY_CACHE_TTL_SECONDS', () => {
    rememberPage('page:/a|', page('a'), 1_000);
    expect(recallPage('page:/a|', 1_000 + MEMORY_CACHE_TTL_SECONDS * 1000 - 1)?.body).toBe('a');
    expect(recallPage('page:/a|', 1_000 + MEMORY_CACHE_TTL_SECONDS * 1000)).toBeUndefined();
  });

  it('forgets every variant of a purged path and nothing else', () => {
    for (const key of ['page:/b|', 'page:/b|page=2', 'page:/bb|']) rememberPage(key, page(key), 0);
    forgetPages('page:/b|');
    expect([recallPage('page:/b|', 1), recallPage('page:/b|page=2', 1), recallPage('page:/bb|', 1)?.body]).toEqual([
      undefined,
      undefined,
      'page:/bb|',
    ]);
  });

  it('keeps at most 500 pages and 8 MB, dropping the oldest first', () => {
    for (let index = 0; index < 501; index++) rememberPage(`page:/many/${index}|`, page(String(index)), 0);
    expect(recallPage('page:/many/0|', 1)).toBeUndefined();
    expect(recallPage('page:/many/1|', 1)?.body).toBe('1');

    const large = 'x'.repeat(1024 * 1024);
    for (let index = 0; index < 9; index++) rememberPage(`page:/large/${index}|`, page(large + index), 0);
    expect(recallPage('page:/large/0|', 1)).toBeUndefined();
    expect(recallPage('page:/large/8|', 1)?.body.endsWith('8')).toBe(true);
    expect(recallPage('page:/many/500|', 1)).toBeUndefined();
  });
});
