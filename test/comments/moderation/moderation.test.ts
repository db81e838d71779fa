import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/lib/csv';
import { signedInStaff } from '../../support/admin-helpers';
import { afterPurge, clearPageCache, fetchPage, SAMPLE_ARTICLE_PATH, visibleText } from '../../support/helpers';
import { nextNumber } from '../../support/unique';

async function pendingComment(body: string) {
  const n = nextNumber();
  const row = await env.DB.prepare(
    "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status, held_reason, created_at) SELECT id, ?, ?, ?, ?, 'pending', 'first comment from this email', ? FROM articles WHERE slug = 'russia-eyes-korean-peninsula' RETURNING id",
  )
    .bind(`Reader ${n}`, `held-${n}@example.com`, body, `hash-${n}-${Date.now()}`, Date.now() + n)
    .first<{ id: number }>();
  return row!.id;
}

const statusOf = async (id: number) =>
  (await env.DB.prepare('SELECT status FROM comments WHERE id = ?').bind(id).first<{ status: string }>())!.status;

async function subscriber(email: string, status: string, confirmedAt: number | null = null) {
  await env.DB.prepare('INSERT INTO subscribers (email, email_hash, status, confirmed_at) VALUES (?, ?, ?, ?)')
    .bind(email, `hash-of-${email}`, status, confirmedAt)
    .run();
}

describe('the moderation queue', () => {
  it('lists pending comments newest first with article, name, email, text and held reason', async () => {
    const session = await signedInStaff();
    await pendingComment('The older held comment');
    const newer = await pendingComment('The newer held comment');
    const { email } = (await env.DB.prepare('SELECT author_email AS email FROM comments WHERE id = ?')
      .bind(newer)
      .first<{ email: string }>())!;
    const html = await (await session.get('/admin/comments')).text();
    const text = visibleText(html);
    expect(text.indexOf('The newer held comment')).toBeLessThan(text.indexOf('The older held comment'));
    expect(text).toContain(`<${email}>`);
    expect(text).toContain('Held: first comment from this email');
    expect(html).toContain(`href="${SAMPLE_ARTICLE_PATH}"`);
  });

  it('approves several at once and purges the article’s cached page, so readers see them', async () => {
    const session = await signedInStaff();
    const [first, second, third] = [
      await pendingComment('Bulk one'),
      await pendingComment('Bulk two'),
      await pendingComment('Bulk three'),
    ];
    await clearPageCache();
    expect(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text()).not.toContain('Bulk one');

    const response = await session.post('/admin/comments?status=pending', {
      action: 'approve',
      ids: [String(first), String(second)],
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/admin/comments?status=pending&done=approve&n=2');
    expect([await statusOf(first), await statusOf(second), await statusOf(third)]).toEqual([
      'approved',
      'approved',
      'pending',
    ]);
    const html = await afterPurge(async () => {
      const page = await fetchPage(SAMPLE_ARTICLE_PATH);
      expect(page.headers.get('X-Cache')).toBe('MISS');
      return page.text();
    });
    expect(html).toContain('Bulk one');
    expect(html).not.toContain('held-');
    expect(await (await session.get(response.headers.get('Location')!)).text()).toContain('2 comments approved.');
  });

  it('marks as spam and deletes in bulk too, and refuses a post with nothing ticked (422)', async () => {
    const session = await signedInStaff();
    const [spam, deleted] = [await pendingComment('Spam me'), await pendingComment('Delete me')];
    await session.post('/admin/comments', { action: 'spam', ids: String(spam) });
    await session.post('/admin/comments', { action: 'delete', ids: String(deleted) });
    expect([await statusOf(spam), await statusOf(deleted)]).toEqual(['spam', 'deleted']);
    expect((await session.post('/admin/comments', { action: 'approve' })).status).toBe(422);
    expect((await session.post('/admin/comments', { action: 'launch', ids: String(spam) })).status).toBe(422);
  });
});

describe('the subscribers page', () => {
  it('counts by status and finds addresses by a part of them', async () => {
    const session = await signedInStaff();
    await subscriber('ann@findme.example', 'confirmed', Date.now());
    await subscriber('bob@elsewhere.example', 'unconfirmed');
    const html = await (await session.get('/admin/subscribers?q=FINDME')).text();
    expect(html).toMatch(/<b>\d+<\/b> confirmed/);
    expect(html).toContain('ann@findme.example');
    expect(html).not.toContain('bob@elsewhere.example');
    expect(await (await session.get('/admin/subscribers?q=%25')).text()).not.toContain('ann@findme.example');
  });

  it('exports CSV as an attachment, quoted where needed and with formulas neutralised', async () => {
    const session = await signedInStaff();
    await subscriber('=HYPERLINK("http://evil.example")@x.example', 'confirmed', Date.now());
    await subscriber('plain@csv.example', 'unsubscribed');
    const response = await session.get('/admin/subscribers.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="subscribers-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get('Cache-Control')).toBe('private, no-store');
    const csv = await response.text();
    expect(csv.split('\r\n')[0]).toBe('email,status,signed_up,confirmed,unsubscribed');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")@x.example",confirmed,`);
    expect(csv).toMatch(/\r\nplain@csv\.example,unsubscribed,\d{4}-/);
  });

  it('erases an address on request: gone from search and export, the hash kept', async () => {
    const session = await signedInStaff();
    await subscriber('erase-me@example.com', 'confirmed', Date.now());
    const { id } = (await env.DB.prepare("SELECT id FROM subscribers WHERE email = 'erase-me@example.com'").first<{
      id: number;
    }>())!;
    const response = await session.post(`/admin/subscribers/${id}/erase`);
    expect(response.status).toBe(303);
    const row = await env.DB.prepare('SELECT email, email_hash, status FROM subscribers WHERE id = ?').bind(id).first();
    expect(row).toEqual({ email: null, email_hash: 'hash-of-erase-me@example.com', status: 'unsubscribed' });
    expect(await (await session.get('/admin/subscribers.csv')).text()).not.toContain('erase-me');
    expect((await session.post('/admin/subscribers/999999/erase')).status).toBe(404);
  });
});

describe('CSV cells', () => {
  it('quote commas, quotes and line breaks, and neutralise = + - @ tab and CR at the start', () => {
    expect(['a,b', 'say "hi"', 'two\nlines', '=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'ok', null].map(csvCell)).toEqual([
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'ok',
      '',
    ]);
    expect(
      toCsv([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe('a,b\r\nc,d\r\n');
  });
});

describe('the dashboard', () => {
  it('shows the counts and three accessible SVG charts of the last 30 days (comments, signups, article views)', async () => {
    const session = await signedInStaff();
    await pendingComment('Counted on the dashboard');
    await subscriber('chart@example.com', 'confirmed', Date.now());
    const html = await (await session.get('/admin')).text();
    expect(html).toMatch(/\d+ published/);
    // The seed's one draft.
    expect(html).toContain('>1 draft</a>');
    expect(html).toMatch(/[1-9]\d* awaiting moderation/);
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(3);
    for (const chart of charts) {
      expect(chart).toMatch(/role="img"/);
      expect(chart).toMatch(/<title id="[a-z-]+-title">/);
      expect(chart.match(/<rect /g)).toHaveLength(30);
    }
    expect(charts[1]).toMatch(/Confirmed newsletter signups per day: [1-9]\d* in 30 days/);
    expect(charts[2]).toMatch(/Article views per day: \d+ in 30 days/);
    expect(html).not.toContain('<script');
  });
});
