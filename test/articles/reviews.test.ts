import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src';
import { type AdminSession, signedInStaff } from '../support/admin-helpers';
import { afterPurge, elementsIn, fetchPage, visibleText } from '../support/helpers';
import { watchMail } from '../support/newsletter-helpers';
import { nextNumber } from '../support/unique';

const FIVE_MINUTES = 5 * 60_000;
/** The every-minute Cron Trigger, firing at `at` (the review email goes on every fifth minute). */
async function cronAt(at: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}
let windowEnd = Math.ceil(Date.now() / FIVE_MINUTES) * FIVE_MINUTES;
/** The next five-minute mark: the end of a batch window. */
const nextWindow = () => {
  windowEnd += FIVE_MINUTES;
  return cronAt(windowEnd);
};

async function writeDraft(session: AdminSession, headline = `A Draft from the Field ${nextNumber()}`) {
  const ids = await env.DB.prepare(
    "SELECT (SELECT id FROM authors WHERE slug = 'mina-park') AS author, (SELECT id FROM sections WHERE slug = 'security') AS section",
  ).first<{ author: number; section: number }>();
  const response = await session.post('/admin/articles', {
    headline,
    standfirst: `What ${headline} is about.`,
    body: 'The first paragraph of a contributor’s story.',
    authorId: String(ids!.author),
    sectionId: String(ids!.section),
  });
  expect(response.status).toBe(303);
  return { id: Number(/\/admin\/articles\/(\d+)/.exec(response.headers.get('Location')!)![1]), headline };
}

async function submit(session: AdminSession, id: number) {
  const response = await session.post(`/admin/articles/${id}/review`);
  expect(response.status).toBe(303);
  expect(response.headers.get('Location')).toBe(`/admin/articles/${id}?done=submitted`);
}

/** The revision the review list's Publish form for this article carries: the one the editor sees listed. */
async function revisionOnReviewList(id: number): Promise<string> {
  const html = await (await editor.get('/admin/reviews')).text();
  const form = new RegExp(`<form method="post" action="/admin/articles/${id}/publish">([\\s\\S]*?)</form>`).exec(html);
  const revision = /name="revision" value="(\d+)"/.exec(form?.[1] ?? '')?.[1];
  expect(revision, `a Publish form for article ${id} on the review list`).toBeDefined();
  return revision!;
}

const pageText = async (session: AdminSession, path: string) => visibleText(await (await session.get(path)).text());
const reviewRow = (id: number) =>
  env.DB.prepare('SELECT status, review_requested_at, review_note FROM articles WHERE id = ?')
    .bind(id)
    .first<{ status: string; review_requested_at: number | null; review_note: string }>();

let contributor: AdminSession;
let colleague: AdminSession;
let editor: AdminSession;
let administrator: AdminSession;
beforeAll(async () => {
  [contributor, colleague, editor, administrator] = [
    await signedInStaff('contributor'),
    await signedInStaff('contributor'),
    await signedInStaff('editor'),
    await signedInStaff('administrator'),
  ];
});

let watch: ReturnType<typeof watchMail>;
beforeEach(async () => {
  // What earlier tests left in review is emailed now, so each test reads only its own emails.
  await nextWindow();
  watch = watchMail();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the review flow', () => {
  it('a submitted draft is “in review” for its contributor and in the editors’ review list; contributors cannot open the list', async () => {
    const draft = await writeDraft(contributor);
    expect(await pageText(contributor, `/admin/articles/${draft.id}`)).toContain('Submit for review');
    await submit(contributor, draft.id);

    const own = await pageText(contributor, `/admin/articles/${draft.id}?done=submitted`);
    expect(own).toContain('Submitted for review: the editors are told.');
    expect(own).toContain('This draft is in review since');
    expect(own).toContain('Withdraw from review');
    const list = await (await contributor.get('/admin/articles')).text();
    const row = [...list.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].find(([each]) => each.includes(draft.headline));
    expect(visibleText(row![1]!)).toContain('in review');
    expect(visibleText(await (await contributor.get('/admin/articles?state=in%20review')).text())).toContain(
      draft.headline,
    );

    const reviews = await pageText(editor, '/admin/reviews');
    expect(reviews).toContain(draft.headline);
    expect(reviews).toMatch(/By Mina Park in Security, submitted by Staff Member \d+ on/);
    expect(await pageText(administrator, '/admin/reviews')).toContain(draft.headline);
    const refused = await contributor.get('/admin/reviews');
    expect(refused.status).toBe(403);
    expect(visibleText(await refused.text())).toContain('This page is for editors and administrators.');

    // Submitting twice changes nothing.
    expect((await contributor.post(`/admin/articles/${draft.id}/review`)).status).toBe(409);
  });

  it('a contributor cannot publish their draft, in review or not, nor send it back', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const publish = await contributor.post(`/admin/articles/${draft.id}/publish`, { publishAt: '', revision: '1' });
    expect(publish.status).toBe(403);
    const back = await contributor.post(`/admin/articles/${draft.id}/review/return`, { note: 'Fine by me.' });
    expect(back.status).toBe(403);
    expect(await reviewRow(draft.id)).toMatchObject({ status: 'draft', review_note: '' });
    expect((await reviewRow(draft.id))?.review_requested_at).not.toBeNull();
    expect(await pageText(contributor, `/admin/articles/${draft.id}`)).not.toContain('Publish');
    // Nor act on a colleague's draft in review.
    expect((await colleague.post(`/admin/articles/${draft.id}/review/withdraw`)).status).toBe(403);
  });

  it('several submissions in one window are one email per editor and administrator, the next window only the new ones', async () => {
    const drafts = [await writeDraft(contributor), await writeDraft(colleague), await writeDraft(contributor)];
    for (const draft of drafts) await submit(draft === drafts[1] ? colleague : contributor, draft.id);
    // Between two five-minute marks, the every-minute trigger sends nothing.
    await cronAt(windowEnd + 60_000);
    expect(watch.sent()).toHaveLength(0);

    await nextWindow();
    const [mail, ...others] = watch.to(editor.email);
    expect(others).toHaveLength(0);
    expect(watch.to(administrator.email)).toHaveLength(1);
    expect(watch.to(contributor.email)).toHaveLength(0);
    expect(mail!.headers.subject).toBe('3 drafts are waiting for review on edgepress');
    for (const draft of drafts) {
      expect(mail!.text).toContain(`“${draft.headline}” by Mina Park`);
      expect(mail!.text).toContain(`/admin/articles/${draft.id}/preview`);
      expect(mail!.html).toContain(draft.headline);
    }
    expect(mail!.text).toContain('Publish or send back: http://localhost:8787/admin/reviews');
    // Contributors are named, never addressed.
    expect(mail!.text).not.toContain(contributor.email);
    expect(mail!.html).not.toContain(colleague.email);
    const emailed = watch.sent().length;

    await nextWindow();
    expect(watch.sent()).toHaveLength(emailed);

    const later = await writeDraft(colleague);
    await submit(colleague, later.id);
    await nextWindow();
    const [next] = watch.to(editor.email).slice(1);
    expect(next!.headers.subject).toBe('A draft is waiting for review on edgepress');
    expect(next!.text).toContain(later.headline);
    expect(next!.text).not.toContain(drafts[0]!.headline);
  });

  it('a withdrawn draft leaves the review list, is its contributor’s draft again, and is not emailed', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const withdrawn = await contributor.post(`/admin/articles/${draft.id}/review/withdraw`);
    expect(withdrawn.status).toBe(303);
    const page = await pageText(contributor, withdrawn.headers.get('Location')!);
    expect(page).toContain('Withdrawn from review: it is your draft again.');
    expect(page).toContain('Submit for review');
    expect(await pageText(editor, '/admin/reviews')).not.toContain(draft.headline);
    await nextWindow();
    expect(watch.sent()).toHaveLength(0);
    expect((await contributor.post(`/admin/articles/${draft.id}/review/withdraw`)).status).toBe(409);
  });

  it('its contributor can still change a draft in review, which stays in review', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const ids = await env.DB.prepare('SELECT author_id, section_id FROM articles WHERE id = ?')
      .bind(draft.id)
      .first<{ author_id: number; section_id: number }>();
    const saved = await contributor.post(`/admin/articles/${draft.id}`, {
      revision: '1',
      headline: `${draft.headline}, Revised`,
      body: 'A better first paragraph.',
      authorId: String(ids!.author_id),
      sectionId: String(ids!.section_id),
    });
    expect(saved.status).toBe(303);
    expect(await pageText(editor, '/admin/reviews')).toContain(`${draft.headline}, Revised`);
  });

  it('publishes the revision the editor read, or nothing: a save made after they read it is refused, saying so', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const read = await revisionOnReviewList(draft.id);
    const ids = await env.DB.prepare('SELECT author_id, section_id FROM articles WHERE id = ?')
      .bind(draft.id)
      .first<{ author_id: number; section_id: number }>();
    // Between the editor's reading and their Publish, the contributor swaps the text.
    const swapped = await contributor.post(`/admin/articles/${draft.id}`, {
      revision: read,
      headline: draft.headline,
      body: 'Buy cheap pills at spam.example, a text no editor read.',
      authorId: String(ids!.author_id),
      sectionId: String(ids!.section_id),
    });
    expect(swapped.status).toBe(303);
    const refused = await editor.post(`/admin/articles/${draft.id}/publish`, { publishAt: '', revision: read });
    expect(refused.status).toBe(409);
    expect(visibleText(await refused.text())).toContain(
      `Not published: it changed after you read it (you read revision ${read}, it is now revision ${Number(read) + 1}). Read it again, then publish.`,
    );
    expect(await reviewRow(draft.id)).toMatchObject({ status: 'draft' });
    // The preview shows the new text with a Publish button for exactly that revision.
    const preview = await (await editor.get(`/admin/articles/${draft.id}/preview`)).text();
    expect(visibleText(preview)).toContain('a text no editor read');
    const [button] = await elementsIn(preview, 'form[action$="/publish"] input[name="revision"]');
    expect(button?.value).toBe(String(Number(read) + 1));
    expect(
      (await editor.post(`/admin/articles/${draft.id}/publish`, { publishAt: '', revision: button!.value! })).status,
    ).toBe(303);
    expect(await reviewRow(draft.id)).toMatchObject({ status: 'published' });
  });

  it('refuses a publish that does not say which revision was read', async () => {
    const draft = await writeDraft(contributor);
    const response = await editor.post(`/admin/articles/${draft.id}/publish`, { publishAt: '' });
    expect(response.status).toBe(400);
    expect(visibleText(await response.text())).toContain('this form does not say which revision you read');
    expect(await reviewRow(draft.id)).toMatchObject({ status: 'draft' });
  });

  it('an editor publishes from the review list: it leaves the list and is on the home page', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const revision = await revisionOnReviewList(draft.id);
    const published = await editor.post(`/admin/articles/${draft.id}/publish`, { publishAt: '', revision });
    expect(published.status).toBe(303);
    expect(await reviewRow(draft.id)).toMatchObject({ status: 'published', review_requested_at: null });
    expect(await pageText(editor, '/admin/reviews')).not.toContain(draft.headline);
    await afterPurge(async () => expect(visibleText(await (await fetchPage('/')).text())).toContain(draft.headline));
    // Published, it is no longer the contributor's to change.
    expect((await contributor.get(`/admin/articles/${draft.id}`)).status).toBe(403);
  });

  it('an editor sends a draft back with a note the contributor reads; an empty note is refused with the list', async () => {
    const draft = await writeDraft(contributor);
    await submit(contributor, draft.id);
    const empty = await editor.post(`/admin/articles/${draft.id}/review/return`, { note: '   ' });
    expect(empty.status).toBe(422);
    expect(visibleText(await empty.text())).toContain('Say what the contributor should change.');
    expect((await reviewRow(draft.id))?.review_requested_at).not.toBeNull();

    const note = 'Name your sources in the second paragraph, please.';
    const back = await editor.post(`/admin/articles/${draft.id}/review/return`, { note });
    expect(back.status).toBe(303);
    expect(await pageText(editor, back.headers.get('Location')!)).toContain('Sent back');
    expect(await pageText(editor, '/admin/reviews')).not.toContain(draft.headline);
    const own = await pageText(contributor, `/admin/articles/${draft.id}`);
    expect(own).toContain('An editor sent this draft back:');
    expect(own).toContain(note);

    await submit(contributor, draft.id);
    expect(await reviewRow(draft.id)).toMatchObject({ review_note: '' });
  });
});
