import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { foldForMatching } from '../../src/comments/normalize';
import { siteConfig } from '../../src/config';
import { FORM_TOKEN_MAX_AGE_MS } from '../../src/lib/form-token';
import { sha256Hex } from '../../src/lib/hash';
import {
  afterPurge,
  clearPageCache,
  fetchPage,
  formToken,
  freshAddress,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { unique } from '../support/unique';

const OTHER_ARTICLE_PATH = '/2010/11/korus-fta-seoul-stalemate';

async function storedComment(body: string) {
  return env.DB.prepare('SELECT * FROM comments WHERE body = ?').bind(body).first<{
    id: number;
    status: string;
    held_reason: string | null;
    ip_hash: string | null;
    parent_id: number | null;
    depth: number;
    author_email: string;
  }>();
}

async function articleId(slug: string) {
  return (await env.DB.prepare('SELECT id FROM articles WHERE slug = ?').bind(slug).first<{ id: number }>())!.id;
}

beforeEach(clearPageCache);

describe('posting a comment with the form (no JavaScript)', () => {
  it('publishes a returning reader’s comment: 303 to its anchor, cache purged, shown on the next view', async () => {
    const cached = await fetchPage(SAMPLE_ARTICLE_PATH);
    expect(cached.headers.get('X-Cache')).toBe('MISS');
    const before = Number(/(\d+) Comments?/.exec(visibleText(await cached.text()))![1]);
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');

    const text = unique('The APEC summit in Vladivostok will tell us a lot.');
    const returning = await returningReader();
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Philipp Ivanov',
      email: returning,
      comment: text,
    });
    expect(response.status).toBe(303);
    const stored = await storedComment(text);
    expect(stored?.status).toBe('approved');
    expect(response.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-${stored!.id}`);

    const html = await afterPurge(async () => {
      const after = await fetchPage(SAMPLE_ARTICLE_PATH);
      expect(after.headers.get('X-Cache')).toBe('MISS');
      return after.text();
    });
    expect(html).toContain(`id="comment-${stored!.id}"`);
    expect(visibleText(html)).toContain(text);
    expect(visibleText(html)).toContain(`${before + 1} Comments`);
    expect(html).not.toContain(returning);
  });

  it('holds a first-time commenter’s comment and tells only them it awaits moderation', async () => {
    const text = unique('First time here: thank you for this analysis.');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'New Reader',
      email: 'new.reader@example.com',
      comment: text,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('edgepress_comment_notice='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(await storedComment(text)).toMatchObject({
      status: 'pending',
      held_reason: 'first comment from this address',
    });

    const withNotice = await fetchPage(SAMPLE_ARTICLE_PATH, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(withNotice.headers.get('X-Cache')).toBe('BYPASS');
    expect(withNotice.headers.get('Cache-Control')).toContain('no-store');
    const noticeHtml = await withNotice.text();
    expect(visibleText(noticeHtml)).toContain('Your comment is awaiting moderation.');
    expect(noticeHtml).not.toContain(text);

    const everyoneElse = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(everyoneElse).not.toContain('awaiting moderation');
    expect(everyoneElse).not.toContain(text);
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');
  });

  it('stores a salted hash of the client address and nothing else about the visitor', async () => {
    const text = unique('Hash my address, please.');
    await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Philipp Ivanov', email: await returningReader(), comment: text },
      { address: '203.0.113.54' },
    );
    const stored = await storedComment(text);
    expect(stored!.ip_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(stored)).not.toContain('203.0.113');
  });

  it('shows the article page again with 422, the text kept and a message at each wrong field', async () => {
    const text = 'A long, thoughtful comment that must not be lost.\n\nWith a second paragraph & <b>markup</b>.';
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: '', email: 'not-an-email', comment: text });
    expect(response.status).toBe(422);
    expect(response.headers.get('Cache-Control')).toContain('no-store');
    const html = await response.text();
    expect(html).toContain('<h1 class="p-name">Russia Eyes Korean Peninsula</h1>');
    expect(html).toContain(
      'A long, thoughtful comment that must not be lost.\n\nWith a second paragraph &amp; &lt;b&gt;markup&lt;/b&gt;.</textarea>',
    );
    expect(html).toMatch(/id="comment-name-error"[^>]*>Please enter your name\./);
    expect(html).toMatch(/id="comment-email-error"[^>]*>Please enter a valid email address/);
    expect(html).toContain('aria-invalid="true"');
    expect(await storedComment(text.trim())).toBeNull();
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('MISS');
  });

  it('counts refused forms per network: past the limit a short 429 page keeps the text instead of the article', async () => {
    const { refusalsPerMinute } = siteConfig(env).comments;
    const address = freshAddress();
    const refuse = (comment: string) =>
      submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Repeat', email: 'not-an-email', comment }, { address });
    for (let i = 0; i < refusalsPerMinute; i++) expect((await refuse(`Attempt ${i}`)).status).toBe(422);

    const text = 'The words I wrote & want to keep <b>safe</b>.';
    const limited = await refuse(text);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(limited.headers.get('Cache-Control')).toContain('no-store');
    const html = await limited.text();
    expect(html).not.toContain('<h1 class="p-name">Russia Eyes Korean Peninsula</h1>');
    expect(visibleText(html)).toContain('sent back too often from your network');
    expect(html).toContain('The words I wrote &amp; want to keep &lt;b&gt;safe&lt;/b&gt;.</textarea>');
    expect(html).toContain(`href="${SAMPLE_ARTICLE_PATH}#respond"`);

    const elsewhere = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Other', email: 'nope', comment: 'Hi' });
    expect(elsewhere.status).toBe(422);
  });

  it('refuses over-long fields and control characters with 422', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ name: 'x'.repeat(81), email: 'a@example.com', comment: 'Hello' }, /at most 80 characters/],
      [{ name: 'Ann', email: `${'a'.repeat(250)}@example.com`, comment: 'Hello' }, /at most 254 characters/],
      [{ name: 'Ann', email: 'a@example.com', comment: 'y'.repeat(5001) }, /at most 5,000 characters/],
      [{ name: 'Ann\u0000', email: 'a@example.com', comment: 'Hello' }, /characters we cannot accept/],
      [{ name: 'Ann', email: 'a@example.com', comment: 'Bell\u0007' }, /characters we cannot accept/],
      [{ name: 'Ann', email: 'a@example.com', comment: '   ' }, /Please write your comment/],
    ];
    for (const [fields, message] of cases) {
      const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, fields);
      expect(response.status, JSON.stringify(fields).slice(0, 60)).toBe(422);
      expect(await response.text()).toMatch(message);
    }
  });

  it('trims whitespace around the fields', async () => {
    const text = unique('Trimmed comment.');
    const email = await returningReader();
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: '  Philipp Ivanov  ',
      email: ` ${email} `,
      comment: `\n  ${text}  \n`,
    });
    const stored = await env.DB.prepare('SELECT author_name, author_email FROM comments WHERE body = ?')
      .bind(text)
      .first();
    expect(stored).toEqual({ author_name: 'Philipp Ivanov', author_email: email });
  });

  it('refuses a form posted from another site', async () => {
    const text = unique('Forged from elsewhere.');
    const response = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Mallory', email: await returningReader(), comment: text },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    expect(await storedComment(text)).toBeNull();
  });

  it('is 404 for an article that does not exist or is a draft', async () => {
    for (const path of ['/2010/11/no-such-article', '/2010/11/draft-mekong-dams-briefing']) {
      const response = await submitCommentForm(path, {
        name: 'Ann',
        email: await returningReader(),
        comment: unique('Hello'),
      });
      expect(response.status).toBe(404);
    }
  });
});

describe('how comments are shown', () => {
  it('shows HTML from readers as text, keeps paragraphs, and links bare URLs with nofollow ugc', async () => {
    const text = unique(
      '<script>window.pwned = 1</script> <img src=x onerror=alert(1)>\n\nSee https://example.org/report.',
    );
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: '<b>Philipp</b>',
      email: await returningReader(),
      comment: text,
    });
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;Philipp&lt;/b&gt;');
    expect(html).toContain(
      '<a href="https://example.org/report" rel="nofollow ugc noopener">https://example.org/report</a>.',
    );
    expect(html).toMatch(/&lt;\/script&gt; &lt;img src=x onerror=alert\(1\)&gt;<\/p><p>See/);
  });

  it('holds a comment with two or more links, whatever the mode', async () => {
    const text = unique('Buy at https://spam.example/a and https://spam.example/b');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Philipp Ivanov',
      email: await returningReader(),
      comment: text,
    });
    expect(response.headers.get('Location')).toContain('#comment-notice');
    expect(await storedComment(text)).toMatchObject({ status: 'pending', held_reason: '2 links' });
  });

  it('holds comments with a held word and sends disallowed words straight to spam', async () => {
    const held = unique('Try my Casino tonight');
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Philipp Ivanov',
      email: await returningReader(),
      comment: held,
    });
    expect(await storedComment(held)).toMatchObject({ status: 'pending', held_reason: 'held word: casino' });
    const spam = unique('Cheap pills');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Viagra Sales',
      email: await returningReader(),
      comment: spam,
    });
    expect(response.headers.get('Location')).toContain('#comment-notice');
    expect(await storedComment(spam)).toMatchObject({ status: 'spam', held_reason: 'disallowed word: viagra' });
  });
});

describe('threaded replies', () => {
  it('offers a Reply link that works without JavaScript, and nests replies oldest first', async () => {
    const page = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const mladen =
      /<li id="comment-(\d+)" class="comment"><article><header class="comment-meta"><b class="comment-author">Mladen Matosevic/.exec(
        page,
      )!;
    const parentId = Number(mladen[1]);
    const replyLink = `${SAMPLE_ARTICLE_PATH}?replyto=${parentId}#respond`;
    expect(page).toContain(`href="${replyLink}"`);

    const replyPage = await (await fetchPage(replyLink)).text();
    expect(replyPage).toContain(`<input type="hidden" name="parent" value="${parentId}"/>`);
    expect(visibleText(replyPage)).toContain('Replying to Mladen Matosevic');

    const first = unique('First reply.');
    const second = unique('Second reply.');
    for (const text of [first, second]) {
      const response = await submitCommentForm(
        SAMPLE_ARTICLE_PATH,
        { name: 'Philipp Ivanov', email: await returningReader(), comment: text, parent: String(parentId) },
        {},
      );
      expect(response.status).toBe(303);
      await env.DB.prepare('UPDATE comments SET created_at = created_at - 1000 WHERE body = ?').bind(first).run();
    }
    expect(await storedComment(first)).toMatchObject({ parent_id: parentId, depth: 1, status: 'approved' });

    const html = await afterPurge(async () => {
      const page = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
      expect(page).toContain(second);
      return page;
    });
    const thread = html.slice(html.indexOf(`id="comment-${parentId}"`));
    const replies = thread.slice(thread.indexOf('<ol class="comment-replies">'));
    expect(replies.indexOf(first)).toBeGreaterThan(-1);
    expect(replies.indexOf(first)).toBeLessThan(replies.indexOf(second));
    expect(thread.indexOf('<ol class="comment-replies">')).toBeLessThan(thread.indexOf('Philipp Ivanov</b>'));
  });

  it('refuses a reply to another article’s comment, keeping the text', async () => {
    const other = await env.DB.prepare(
      "SELECT c.id FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug != 'russia-eyes-korean-peninsula' AND c.status = 'approved' LIMIT 1",
    ).first<{ id: number }>();
    expect(other).not.toBeNull();
    const text = unique('Replying across articles.');
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Philipp Ivanov',
      email: await returningReader(),
      comment: text,
      parent: String(other!.id),
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('The comment you replied to is not on this article');
    expect(html).toContain(`${text}</textarea>`);
    expect(await storedComment(text)).toBeNull();
  });

  it('nests to a depth of five and shows deeper replies at the fifth level', async () => {
    const id = await articleId('korus-fta-seoul-stalemate');
    let parent: { id: number; root: number | null; depth: number } | null = null;
    const bodies: string[] = [];
    for (let depth = 0; depth < 7; depth++) {
      const body = unique(`Depth ${depth}`);
      bodies.push(body);
      const result: { id: number } = (await env.DB.prepare(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, author_email, body, body_hash, status) VALUES (?, ?, ?, ?, 'Deep', 'deep@example.com', ?, ?, 'approved') RETURNING id",
      )
        .bind(id, parent?.id ?? null, parent ? (parent.root ?? parent.id) : null, depth, body, body)
        .first())!;
      parent = { id: result.id, root: parent ? (parent.root ?? parent.id) : null, depth };
    }
    const html = await (await fetchPage(OTHER_ARTICLE_PATH)).text();
    const nesting = (body: string) => {
      const before = html.slice(html.indexOf('<ol class="comment-list">'), html.indexOf(body));
      return (before.match(/<ol/g) ?? []).length - (before.match(/<\/ol>/g) ?? []).length;
    };
    expect(bodies.map(nesting)).toEqual([1, 2, 3, 4, 5, 5, 5]);
  });
});

describe('anti-spam traps', () => {
  const trapped = async (fields: Record<string, string>, options: { token?: string } = {}) => {
    const text = unique('Trap check');
    const response = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Philipp Ivanov', email: await returningReader(), comment: text, ...fields },
      options,
    );
    return { response, stored: await storedComment(text) };
  };

  it('quietly drops a post whose honeypot is filled', async () => {
    const { response, stored } = await trapped({ website: 'https://spam.example' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`${SAMPLE_ARTICLE_PATH}#comment-notice`);
    expect(stored).toBeNull();
  });

  it('quietly drops a post with a forged token, or another article’s', async () => {
    for (const token of [
      `${Date.now() - 60_000}.${'A'.repeat(43)}`,
      'garbage',
      await formToken('korus-fta-seoul-stalemate'),
    ]) {
      const { response, stored } = await trapped({}, { token });
      expect(response.status).toBe(303);
      expect(stored).toBeNull();
    }
  });

  it('gives the form back, text kept, when it was open longer than a day', async () => {
    const text = unique('Written over a long weekend.');
    const response = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'Philipp Ivanov', email: await returningReader(), comment: text },
      { token: await formToken('russia-eyes-korean-peninsula', 25 * 3600 * 1000) },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('This form was open for too long');
    expect(html).toContain(`${text}</textarea>`);
    expect(await storedComment(text)).toBeNull();
  });

  it('serves a form token that is fresh on every render', async () => {
    const html = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    const token = /name="token" value="(\d{13})\.[\w-]{16}\.[\w-]{43}"/.exec(html);
    expect(token).not.toBeNull();
    expect(Math.abs(Date.now() - Number(token![1]))).toBeLessThan(60_000);
  });

  it('refuses a page cache TTL that would serve a form token after most of its life is gone', () => {
    const quarter = FORM_TOKEN_MAX_AGE_MS / 1000 / 4;
    const withTtl = (seconds: number) => siteConfig({ ...env, PAGE_CACHE_TTL_SECONDS: String(seconds) } as Env);
    expect(withTtl(quarter).pageCacheTtlSeconds).toBe(quarter);
    expect(() => withTtl(quarter + 1)).toThrow(/quarter of the comment form token lifetime/);
    // A cached page lives for twice its TTL (fresh, then stale): the token it carries still has half its life.
    expect(2 * siteConfig(env).pageCacheTtlSeconds * 1000).toBeLessThanOrEqual(FORM_TOKEN_MAX_AGE_MS / 2);
  });
});

describe('flood and duplicate rules', () => {
  it('refuses a second post from the same email within 15 s with 429, keeping the text', async () => {
    const email = 'flood.tester@example.com';
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'Flood', ?, 'earlier', 'earlier', 'approved')",
    )
      .bind(await articleId('russia-eyes-korean-peninsula'), email)
      .run();
    const first = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Flood', email, comment: unique('One') });
    expect(first.status).toBe(303);
    const text = unique('Two, from another network');
    const second = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Flood', email, comment: text });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('Retry-After'))).toBeLessThanOrEqual(15);
    expect(second.headers.get('RateLimit-Remaining')).toBe('0');
    const html = await second.text();
    expect(visibleText(html)).toContain('You are posting comments too quickly');
    expect(html).toContain(`${text}</textarea>`);
    expect(await storedComment(text)).toBeNull();
  });

  it('refuses a second post from the same IP group within 15 s, whatever the email', async () => {
    const network = freshAddress().replace(/\.\d+$/, '');
    const first = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'A', email: 'a.person@example.com', comment: unique('A') },
      { address: `${network}.10` },
    );
    expect(first.status).toBe(303);
    const second = await submitCommentForm(
      SAMPLE_ARTICLE_PATH,
      { name: 'B', email: 'b.person@example.com', comment: unique('B') },
      { address: `${network}.200` },
    );
    expect(second.status).toBe(429);
  });

  it('refuses the same text from the same email on the same article with 409', async () => {
    const text = unique('I said this before.');
    const email = await returningReader();
    await env.DB.prepare(
      "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status) VALUES (?, 'Philipp Ivanov', ?, ?, ?, 'approved')",
    )
      .bind(await articleId('russia-eyes-korean-peninsula'), email, text, await sha256Hex(foldForMatching(text)))
      .run();
    const response = await submitCommentForm(SAMPLE_ARTICLE_PATH, { name: 'Philipp Ivanov', email, comment: text });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(visibleText(html)).toContain('Duplicate comment: it looks as though you have already said that');
    expect(html).toContain(`${text}</textarea>`);
    const { count } = (await env.DB.prepare('SELECT count(*) AS count FROM comments WHERE body = ?')
      .bind(text)
      .first<{ count: number }>())!;
    expect(count).toBe(1);
  });
});

describe('the moderation API', () => {
  const moderate = (path: string, init: RequestInit = {}, token = env.MODERATOR_TOKEN) =>
    fetchPage(path, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
    });

  it('refuses requests without the moderator token', async () => {
    expect((await fetchPage('/api/moderation/comments')).status).toBe(401);
    expect((await moderate('/api/moderation/comments', {}, 'wrong-token')).status).toBe(401);
    expect(
      (await moderate('/api/moderation/comments/1', { method: 'POST', body: '{"action":"approve"}' }, 'nope')).status,
    ).toBe(401);
  });

  it('lists pending comments with the email, and approving one publishes it and purges the page', async () => {
    const text = unique('Please approve me.');
    await submitCommentForm(SAMPLE_ARTICLE_PATH, {
      name: 'Patient Reader',
      email: 'patient@example.com',
      comment: text,
    });
    const { id } = (await storedComment(text))!;
    const queue = (await (await moderate('/api/moderation/comments?status=pending')).json()) as {
      comments: { id: number; authorEmail: string; heldReason: string }[];
    };
    expect(queue.comments.find((comment) => comment.id === id)).toMatchObject({
      authorEmail: 'patient@example.com',
      heldReason: 'first comment from this address',
    });

    await fetchPage(SAMPLE_ARTICLE_PATH);
    expect((await fetchPage(SAMPLE_ARTICLE_PATH)).headers.get('X-Cache')).toBe('HIT');
    const approved = await moderate(`/api/moderation/comments/${id}`, {
      method: 'POST',
      body: JSON.stringify({ action: 'approve' }),
    });
    expect(await approved.json()).toEqual({ id, status: 'approved' });
    await afterPurge(async () => {
      const page = await fetchPage(SAMPLE_ARTICLE_PATH);
      expect(page.headers.get('X-Cache')).toBe('MISS');
      expect(visibleText(await page.text())).toContain(text);
    });

    const deleted = await moderate(`/api/moderation/comments/${id}`, {
      method: 'POST',
      body: JSON.stringify({ action: 'delete' }),
    });
    expect(deleted.status).toBe(200);
    await afterPurge(async () => expect(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text()).not.toContain(text));
  });

  it('answers bad requests with a clear 4xx', async () => {
    expect(
      (await moderate('/api/moderation/comments/999999', { method: 'POST', body: '{"action":"approve"}' })).status,
    ).toBe(404);
    const bad = await moderate('/api/moderation/comments/1', { method: 'POST', body: '{"action":"publish"}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('error');
    expect((await moderate('/api/moderation/comments?status=everything')).status).toBe(400);
  });

  it('lists 100 comments a page newest first, the next from nextCursor, and refuses numbered pages beyond the first', async () => {
    // 230 comments marked as spam, ten to a millisecond (ties across the pages' boundaries).
    const marker = unique('Cursor');
    await env.DB.batch(
      Array.from({ length: 230 }, (_, n) =>
        env.DB.prepare(
          "INSERT INTO comments (article_id, author_name, author_email, body, body_hash, status, created_at) SELECT id, 'Spammer', 'spam@example.com', ?, ?, 'spam', ? FROM articles ORDER BY id LIMIT 1",
        ).bind(`${marker} ${n}`, `${marker}-${n}`, Date.UTC(2031, 0, 1) + Math.floor(n / 10)),
      ),
    );
    const { results } = await env.DB.prepare(
      "SELECT id FROM comments WHERE status = 'spam' ORDER BY created_at DESC, id DESC",
    ).all<{ id: number }>();
    type Listed = { comments: { id: number }[]; nextCursor: string | null };
    const pages: Listed[] = [];
    let address: string | undefined = '/api/moderation/comments?status=spam&page=1';
    while (address) {
      const response = await moderate(address);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Listed;
      pages.push(page);
      address = page.nextCursor ? `/api/moderation/comments?status=spam&cursor=${page.nextCursor}` : undefined;
    }
    expect(pages.map((page) => page.comments.length)).toEqual([100, 100, results.length - 200]);
    expect(pages.flatMap((page) => page.comments.map((comment) => comment.id))).toEqual(results.map((row) => row.id));

    for (const query of ['page=2', 'cursor=yesterday', 'cursor=1.2.3']) {
      const refused = await moderate(`/api/moderation/comments?status=spam&${query}`);
      expect(refused.status, query).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toContain('nextCursor');
    }
  });
});
