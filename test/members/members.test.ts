import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MEMBER_LINK_LIFETIME_MS } from '../../src/members/member-links';
import { signedInStaff } from '../support/admin-helpers';
import {
  clearPageCache,
  fetchPage,
  fetchPageWith,
  freshAddress,
  returningReader,
  SAMPLE_ARTICLE_PATH,
  submitCommentForm,
  visibleText,
} from '../support/helpers';
import { askForLink, asMember, emailsSection, memberCookie, signedInMember, useLink } from '../support/member-helpers';
import { addSubscriber, linkIn, postForm, subscriberRows, watchMail } from '../support/newsletter-helpers';
import { unique, uniqueEmail } from '../support/unique';

let mail: ReturnType<typeof watchMail>;
beforeEach(() => {
  mail = watchMail();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('signing in by an emailed link', () => {
  it('links every page’s header to sign-in, and the account page sends a signed-out reader there', async () => {
    for (const path of ['/', SAMPLE_ARTICLE_PATH, '/privacy', '/no/such/page']) {
      const html = await (await fetchPage(path)).text();
      expect(html, path).toContain('<a href="/account/sign-in">Sign in</a>');
    }
    const account = await fetchPage('/account', { redirect: 'manual' });
    expect(account.status).toBe(303);
    expect(account.headers.get('Location')).toBe('/account/sign-in');
    for (const form of ['name', 'email', 'newsletter', 'sign-out']) {
      const posted = await postForm(`/account/${form}`, { name: 'Nobody', email: uniqueEmail() });
      expect([posted.status, posted.headers.get('Location')], form).toEqual([303, '/account/sign-in']);
    }
  });

  it('answers the same whether the address has an account or not, and the link signs in once', async () => {
    const known = uniqueEmail('known');
    await signedInMember(known, 'Known Member');
    const unknown = uniqueEmail('unknown');
    const [a, b] = [
      await postForm('/account/sign-in', { email: known }),
      await postForm('/account/sign-in', { email: unknown }),
    ];
    expect([a.status, a.headers.get('Location')]).toEqual([b.status, b.headers.get('Location')]);
    expect(await a.text()).toBe(await b.text());

    const link = await askForLink(unknown);
    // What a mail scanner does: open the link. Nothing is used.
    const opened = await fetchPage(link.pathname + link.search);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await opened.text()).toContain('<form method="post" action="/account/link">');

    const used = await useLink(link);
    expect(used.status).toBe(303);
    expect(used.headers.get('Location')).toBe('/account?done=welcome');
    const cookie = memberCookie(used);
    expect(used.headers.get('Set-Cookie')).toMatch(/HttpOnly; Secure; SameSite=Lax/);
    const account = await asMember('/account?done=welcome', cookie);
    expect(account.headers.get('Cache-Control')).toBe('private, no-store');
    const text = visibleText(await account.text());
    expect(text).toContain('You are signed in.');
    expect(text).toContain(`Signed in as ${unknown}`);
    expect(await (await asMember('/', cookie)).text()).toContain('<a href="/account">Your account</a>');

    const again = await useLink(link);
    expect(again.status).toBe(400);
    expect(visibleText(await again.text())).toContain('This link has expired or has been used already.');
  });

  it('refuses a link after 20 minutes', async () => {
    const link = await askForLink(uniqueEmail());
    await env.DB.prepare('UPDATE member_links SET expires_at = expires_at - ?').bind(MEMBER_LINK_LIFETIME_MS).run();
    expect((await useLink(link)).status).toBe(400);
  });

  it('limits links per address, folded as signups fold it, and per network, keeping what was typed', async () => {
    const email = uniqueEmail('limited');
    for (const spelling of [email, email.toUpperCase(), ` ${email}`]) {
      expect((await postForm('/account/sign-in', { email: spelling })).status).toBe(303);
    }
    const refused = await postForm('/account/sign-in', { email: email.replace('limited', 'LIMITED') });
    expect(refused.status).toBe(429);
    const html = await refused.text();
    expect(visibleText(html)).toContain('A link has been asked for this address several times in the last hour.');
    expect(html).toContain(`value="${email.replace('limited', 'LIMITED')}"`);
    expect(refused.headers.has('RateLimit-Remaining')).toBe(true);

    const network = freshAddress();
    for (let i = 0; i < 10; i++) {
      expect(
        (await postForm('/account/sign-in', { email: uniqueEmail() }, { 'CF-Connecting-IP': network })).status,
      ).toBe(303);
    }
    const fromNetwork = await postForm('/account/sign-in', { email: uniqueEmail() }, { 'CF-Connecting-IP': network });
    expect(fromNetwork.status).toBe(429);
    expect(visibleText(await fromNetwork.text())).toContain('too many sign-in links asked for from your network');
  });

  it('re-shows the form with the reader’s text on a wrong address', async () => {
    const response = await postForm('/account/sign-in', { email: 'not an address' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="not an address"');
    expect(visibleText(html)).toContain('Please enter a valid email address');
  });
});

describe('the emails in a member’s history', () => {
  // Each answer comes back once its deferred work (the email and its record) is done.
  const settled = fetchPageWith({});
  const emailRows = (memberId: number) =>
    env.DB.prepare('SELECT * FROM member_emails WHERE member_id = ? ORDER BY id').bind(memberId).all();
  const allEmailRows = () => env.DB.prepare('SELECT count(*) AS n FROM member_emails').first<number>('n');

  it('records each email the sender took for a member, shown as “Sign-in link” and never with its link; nothing for an address that is no member’s', async () => {
    const email = uniqueEmail('history');
    const cookie = await signedInMember(email, undefined, settled);
    const memberId = (await env.DB.prepare('SELECT id FROM members WHERE email = ?').bind(email).first<number>('id'))!;
    // The link that made the account went to an address that was no member's yet: not recorded.
    expect((await emailRows(memberId)).results).toEqual([]);

    const link = await askForLink(email, undefined, settled);
    const next = uniqueEmail('moving');
    expect(
      (
        await postForm(
          '/account/email',
          { email: next },
          { Cookie: cookie, 'CF-Connecting-IP': freshAddress() },
          settled,
        )
      ).status,
    ).toBe(303);
    const [moving] = await mail.waitFor(next);
    const tokens = [link, linkIn(moving!, '/account/link')].map((each) => each.searchParams.get('token')!);
    const rows = (await emailRows(memberId)).results;
    for (const token of tokens) expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows).toMatchObject([
      { purpose: 'sign-in-link', sent_to: 'account' },
      { purpose: 'email-change-link', sent_to: 'new-address' },
    ]);

    // A send the sender refuses is not in the history.
    mail.send.mockRejectedValueOnce(new Error('refused'));
    await postForm('/account/sign-in', { email }, { 'CF-Connecting-IP': freshAddress() }, settled);
    expect(mail.to(email)).toHaveLength(3);
    expect((await emailRows(memberId)).results).toHaveLength(2);

    // An address that is no member's gets its email, the same answer, and no row anywhere.
    const before = await allEmailRows();
    const stranger = uniqueEmail('stranger');
    expect(
      (await postForm('/account/sign-in', { email: stranger }, { 'CF-Connecting-IP': freshAddress() }, settled)).status,
    ).toBe(303);
    expect(mail.to(stranger)).toHaveLength(1);
    expect(await allEmailRows()).toBe(before);

    const editor = await signedInStaff('editor', settled);
    const html = await (await editor.get(`/admin/members/${memberId}`)).text();
    expect(emailsSection(html)).toBe(
      'When Email Sent to TIME New address confirmation The new address they asked for TIME Sign-in link Their address',
    );
    for (const token of tokens) expect(html).not.toContain(token);
  });
});

describe('the account page', () => {
  it('saves the name, and re-shows a wrong one as typed', async () => {
    const cookie = await signedInMember();
    const saved = await postForm('/account/name', { name: '  Ada   Member ' }, { Cookie: cookie });
    expect(saved.headers.get('Location')).toBe('/account?done=name');
    expect(await (await asMember('/account', cookie)).text()).toContain('value="Ada Member"');
    const long = 'x'.repeat(81);
    const refused = await postForm('/account/name', { name: long }, { Cookie: cookie });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(`value="${long}"`);
  });

  it('changes the address only through a link mailed to the new one, and the newsletter follows', async () => {
    const old = uniqueEmail('old');
    await addSubscriber(old, 'confirmed');
    const cookie = await signedInMember(old);
    const next = uniqueEmail('new');
    const asked = await postForm('/account/email', { email: next }, { Cookie: cookie });
    expect(asked.headers.get('Location')).toBe('/account?done=email-sent');
    const [sent] = await mail.waitFor(next);
    expect(sent!.headers.subject).toContain('Confirm your new address');
    expect(visibleText(await (await asMember('/account', cookie)).text())).toContain(`Signed in as ${old}`);

    const moved = await useLink(linkIn(sent!, '/account/link'), cookie);
    expect(moved.headers.get('Location')).toBe('/account?done=email');
    const page = visibleText(await (await asMember('/account', cookie)).text());
    expect(page).toContain(`Signed in as ${next}`);
    expect((await subscriberRows(old))[0]!.status).toBe('unsubscribed');
    expect((await subscriberRows(next))[0]!.status).toBe('confirmed');

    const taken = await signedInMember();
    const takenEmail = visibleText(await (await asMember('/account', taken)).text()).match(/Signed in as (\S+)/)![1]!;
    await postForm('/account/email', { email: takenEmail }, { Cookie: cookie });
    const clash = (await mail.waitFor(takenEmail, 2))[1];
    const refused = await useLink(linkIn(clash!, '/account/link'));
    expect(refused.status).toBe(409);
  });

  it('keeps a subscriber’s row, consent and history when they become a member and change their choice', async () => {
    const email = uniqueEmail('subscriber');
    const id = await addSubscriber(email, 'confirmed');
    await env.DB.prepare('UPDATE subscribers SET confirmed_at = 1000, created_at = 500 WHERE id = ?').bind(id).run();
    const cookie = await signedInMember(email);
    expect(await (await asMember('/account', cookie)).text()).toMatch(/name="newsletter" value="yes" checked=""/);

    expect((await postForm('/account/newsletter', {}, { Cookie: cookie })).headers.get('Location')).toBe(
      '/account?done=newsletter-off',
    );
    let [row] = await subscriberRows(email);
    expect(row).toMatchObject({ id, status: 'unsubscribed', confirmed_at: 1000, created_at: 500 });
    const { unsubscribed_at: unsubscribedAt } = row as unknown as { unsubscribed_at: number };

    await postForm('/account/newsletter', { newsletter: 'yes' }, { Cookie: cookie });
    [row] = await subscriberRows(email);
    expect(row).toMatchObject({ id, status: 'confirmed', created_at: 500, unsubscribed_at: unsubscribedAt });
    const member = await env.DB.prepare('SELECT subscriber_id FROM members WHERE email = ?').bind(email).first();
    expect(member).toEqual({ subscriber_id: id });
  });

  it('signs out this browser, or every device', async () => {
    const email = uniqueEmail();
    const first = await signedInMember(email);
    const second = memberCookie(await useLink(await askForLink(email)));
    const third = memberCookie(await useLink(await askForLink(email)));
    const out = await postForm('/account/sign-out', {}, { Cookie: first });
    expect(out.headers.get('Set-Cookie')).toMatch(/edgepress_member=;/);
    expect((await asMember('/account', first)).status).toBe(303);
    expect((await asMember('/account', second)).status).toBe(200);

    await postForm('/account/sign-out', { everywhere: 'yes' }, { Cookie: second });
    for (const cookie of [second, third]) {
      expect((await asMember('/account', cookie)).status).toBe(303);
    }
  });
});

describe('members commenting', () => {
  it('comments under the member name with no email typed, as a known commenter once approved', async () => {
    const email = await returningReader();
    const name = unique('Member Commenter');
    const cookie = await signedInMember(email, name);
    const article = await asMember(SAMPLE_ARTICLE_PATH, cookie);
    const form = await article.text();
    expect(form).toContain(`You comment as <b>${name}</b>`);
    expect(form).not.toContain('id="comment-email"');

    // The reader's own browser cookie is not sent: the sign-in proves the address.
    const comment = unique('A member’s comment');
    const posted = await submitCommentForm(SAMPLE_ARTICLE_PATH, { comment }, { cookie });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('Location')).toMatch(/#comment-\d+$/);
    const row = await env.DB.prepare('SELECT author_name, author_email, status FROM comments WHERE body = ?')
      .bind(comment)
      .first();
    expect(row).toEqual({ author_name: name, author_email: email, status: 'approved' });

    const newcomer = await signedInMember(uniqueEmail('newcomer'), unique('New Member'));
    const held = await submitCommentForm(SAMPLE_ARTICLE_PATH, { comment: unique('First') }, { cookie: newcomer });
    expect(held.headers.get('Location')).toContain('#comment-notice');
  });

  it('asks a member without a name for one, keeping their text', async () => {
    const cookie = await signedInMember();
    const comment = unique('Kept text');
    const refused = await submitCommentForm(SAMPLE_ARTICLE_PATH, { comment }, { cookie });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(visibleText(html)).toContain('Please give your name on your account page first');
    expect(html).toContain(comment);
  });
});

describe('members and the page cache', () => {
  it('caches a member’s pages for every member alike, never with their name or address', async () => {
    await clearPageCache();
    const email = uniqueEmail('cached');
    const name = unique('Cachable Name');
    const cookie = await signedInMember(email, name);
    for (const path of ['/', SAMPLE_ARTICLE_PATH, `${SAMPLE_ARTICLE_PATH}?replyto=1`, '/privacy', '/search?q=Russia']) {
      const response = await asMember(path, cookie);
      expect(response.headers.get('Cache-Control'), path).toBe('private, no-store');
      await response.text();
    }
    const { keys } = await env.PAGE_CACHE.list({ prefix: 'page:' });
    expect(keys.map((key) => key.name)).toContain(`page:${SAMPLE_ARTICLE_PATH}|@member`);
    for (const { name: key } of keys) {
      const value = (await env.PAGE_CACHE.get(key)) ?? '';
      expect(value.includes(name), `${key} names the member`).toBe(false);
      expect(value.includes(email), `${key} has the member's address`).toBe(false);
      if (!key.includes('@')) expect(value.includes('Your account'), `${key} is a member's page`).toBe(false);
    }
    // Another member gets the same entry, told their own name on the way out.
    const other = unique('Other Name');
    const page = await asMember(SAMPLE_ARTICLE_PATH, await signedInMember(uniqueEmail('other'), other));
    expect(page.headers.get('X-Cache')).toBe('HIT');
    const html = await page.text();
    expect(html).toContain(`You comment as <b>${other}</b>`);
    expect(html).not.toContain(name);
    // An image keeps its own caching: a member's cookie makes no page of it.
    const hero = /<img src="(\/media\/[0-9a-f]+\/1280)"/.exec(await (await fetchPage(SAMPLE_ARTICLE_PATH)).text())![1]!;
    expect((await asMember(hero, cookie)).headers.get('Cache-Control')).not.toContain('private');
    // And the anonymous reader still gets the shared page, with the sign-in link.
    const anonymous = await (await fetchPage(SAMPLE_ARTICLE_PATH)).text();
    expect(anonymous).toContain('<a href="/account/sign-in">Sign in</a>');
    expect(anonymous).not.toContain(name);
  });
});

describe('privacy', () => {
  it('exports the account and erases it, signing it out everywhere', async () => {
    const email = uniqueEmail('private');
    const name = unique('Private Member');
    const cookie = await signedInMember(email, name);
    await postForm('/privacy', { email }, {}, fetchPageWith({}));
    const sent = (await mail.waitFor(email, 2))[1];
    const token = linkIn(sent!, '/privacy/data').searchParams.get('token')!;
    const exported = await postForm('/privacy/data/export', { token });
    const data = (await exported.json()) as {
      account: {
        email: string;
        name: string;
        signedInBrowsers: number;
        signedInAt: string[];
        emailsSent: { purpose: string; sentTo: string; sentAt: string }[];
      };
    };
    expect(data.account).toMatchObject({ email, name, signedInBrowsers: 1 });
    const isoTime = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(data.account.signedInAt).toEqual([isoTime]);
    // The sign-in link that made the account was sent before it existed; the data link after.
    expect(data.account.emailsSent).toEqual([{ purpose: 'privacy-data-link', sentTo: 'account', sentAt: isoTime }]);

    const memberId = await env.DB.prepare('SELECT id FROM members WHERE email = ?').bind(email).first<number>('id');
    const erased = await postForm('/privacy/data/erase', { token });
    expect(visibleText(await erased.text())).toContain('Your account is deleted and signed out everywhere.');
    expect(await env.DB.prepare('SELECT id FROM members WHERE email = ?').bind(email).first()).toBeNull();
    const signIns = env.DB.prepare('SELECT count(*) AS n FROM member_sign_ins WHERE member_id = ?').bind(memberId);
    expect(await signIns.first('n')).toBe(0);
    const emails = env.DB.prepare('SELECT count(*) AS n FROM member_emails WHERE member_id = ?').bind(memberId);
    expect(await emails.first('n')).toBe(0);
    expect((await asMember('/account', cookie)).status).toBe(303);
  });
});

it('is reached from the configured origin only (the form check)', async () => {
  const response = await fetchPage('/account/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    body: new URLSearchParams({ email: uniqueEmail() }),
  });
  expect(response.status).toBe(403);
});
