import { expect } from 'vitest';
import { MEMBER_COOKIE } from '../../src/members/member-session';
import { fetchPage, freshAddress, visibleText } from './helpers';
import { linkIn, postForm, watchMail } from './newsletter-helpers';
import { uniqueEmail } from './unique';

/** Asks for a link from `address` (a network of its own unless given) and returns the emailed link. */
export async function askForLink(email: string, address = freshAddress(), site = fetchPage) {
  const mail = watchMail();
  const before = mail.to(email).length;
  const response = await postForm('/account/sign-in', { email }, { 'CF-Connecting-IP': address }, site);
  expect(response.status).toBe(303);
  expect(response.headers.get('Location')).toBe('/account/check-your-inbox');
  const sent = await mail.waitFor(email, before + 1);
  return linkIn(sent.at(-1)!, '/account/link');
}

const tokenOf = (link: URL) => link.searchParams.get('token')!;

/** Presses the emailed link's button; returns the response (its cookie signs the browser in). */
export const useLink = (link: URL, cookie?: string, site = fetchPage) =>
  postForm('/account/link', { token: tokenOf(link) }, cookie ? { Cookie: cookie } : {}, site);

export const memberCookie = (response: Response) => {
  const value = /edgepress_member=([^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1];
  expect(value, 'a member cookie').toBeDefined();
  return `${MEMBER_COOKIE}=${value}`;
};

/** A member signed in through the emailed link, with a name if given; their requests go to `site`. */
export async function signedInMember(email = uniqueEmail('member'), name?: string, site = fetchPage) {
  const cookie = memberCookie(await useLink(await askForLink(email, undefined, site), undefined, site));
  if (name) expect((await postForm('/account/name', { name }, { Cookie: cookie }, site)).status).toBe(303);
  return cookie;
}

export const asMember = (path: string, cookie: string) =>
  fetchPage(path, { redirect: 'manual', headers: { Cookie: cookie } });

/** The "Emails" table of a member's admin page as read, each time (in the site's zone) as `TIME`. */
export function emailsSection(html: string) {
  const table = html.split('<h2>Emails</h2>')[1]!.split('<h2>')[0]!.split('<thead>')[1]!;
  return visibleText(table).replace(/\w+ \d{1,2}, \d{4} at \d{2}:\d{2} \S+/g, 'TIME');
}
