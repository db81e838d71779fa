import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { jsxRenderer } from 'hono/jsx-renderer';
import type { AppEnv } from '../app-env';
import { type SiteConfig, siteConfig } from '../config';
import type { NavigationLink } from '../db/navigation';
import {
  ACCOUNT_PATH,
  ACCOUNT_SIGN_IN_PATH,
  absoluteUrl,
  commentFeedPath,
  FEED_FORMATS,
  feedPath,
  pagePath,
  sectionPath,
  staticPagePath,
} from '../paths';
import { NewsletterSignup } from './newsletter-signup';
import { SearchForm } from './search-form';

export interface PageProps {
  title?: string;
  description?: string;
  /** The header's links (sections, then static pages); error pages rendered without the database pass none. */
  navigation?: NavigationLink[];
  /**
   * The page's own path for `<link rel="canonical">` (a page after the first keeps its `?page=N`). By default
   * the requested path with its page number; null for pages that have no canonical address (errors).
   */
  canonicalPath?: string | null;
  /** A section's, tag's or author's own feeds (under its path), offered besides the site-wide ones. */
  feedListing?: { path: string; name: string };
  /** An article's comment feed (Atom), offered besides the site-wide latest comments. */
  commentFeed?: { title: string; path: string };
  /** Pages search engines should not index (search results). */
  noindex?: boolean;
  /** More elements for the head: an article's OpenGraph, Twitter card and JSON-LD. */
  head?: Child;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** A member is signed in on this browser (set by the members' session middleware): the header links to their account. */
    memberSignedIn: boolean;
  }
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: an interface, so that it merges with Hono's own
    (content: Child, props: PageProps): Response | Promise<Response>;
  }
}

const FEED_TYPES = {
  rss: ['application/rss+xml', 'RSS'],
  atom: ['application/atom+xml', 'Atom'],
  json: ['application/feed+json', 'JSON Feed'],
} as const;

function FeedLinks({ title, listingPath }: { title: string; listingPath?: string }) {
  return (
    <>
      {FEED_FORMATS.map((format) => (
        <link
          rel="alternate"
          type={FEED_TYPES[format][0]}
          title={`${title} (${FEED_TYPES[format][1]})`}
          href={feedPath(format, listingPath)}
        />
      ))}
    </>
  );
}

const linkPath = (link: NavigationLink) =>
  link.kind === 'section' ? sectionPath(link.slug) : staticPagePath(link.slug);

function NavigationList({ label, links }: { label: string; links: NavigationLink[] }) {
  if (links.length === 0) return null;
  return (
    <nav class={label === 'Sections' ? 'site-nav' : 'site-nav site-nav-pages'} aria-label={label}>
      <ul class="wrap">
        {links.map((link) => (
          <li>
            <a href={linkPath(link)}>{link.name}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Layout({
  children,
  site,
  title,
  description,
  navigation = [],
  canonicalPath,
  feedListing,
  commentFeed,
  noindex,
  head,
  memberSignedIn = false,
}: PageProps & { site: SiteConfig; memberSignedIn?: boolean; children?: Child }) {
  const pageTitle = title ? `${title} | ${site.name}` : `${site.name}: ${site.tagline}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{pageTitle}</title>
        <meta name="description" content={description ?? site.tagline} />
        {canonicalPath && <link rel="canonical" href={absoluteUrl(site.url, canonicalPath)} />}
        {noindex && <meta name="robots" content="noindex" />}
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href="/styles.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <FeedLinks title={site.name} />
        {feedListing && <FeedLinks title={`${site.name}: ${feedListing.name}`} listingPath={feedListing.path} />}
        <link
          rel="alternate"
          type="application/atom+xml"
          title={`${site.name}: latest comments (Atom)`}
          href={commentFeedPath()}
        />
        {commentFeed && (
          <link rel="alternate" type="application/atom+xml" title={commentFeed.title} href={commentFeed.path} />
        )}
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="site-name" href="/">
              {site.name}
            </a>
            <p class="site-tagline">{site.tagline}</p>
            <p class="site-account">
              {memberSignedIn ? <a href={ACCOUNT_PATH}>Your account</a> : <a href={ACCOUNT_SIGN_IN_PATH}>Sign in</a>}
            </p>
            <SearchForm id="site-search" />
          </div>
          <NavigationList label="Sections" links={navigation.filter((link) => link.kind === 'section')} />
          <NavigationList label="Pages" links={navigation.filter((link) => link.kind === 'page')} />
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <NewsletterSignup newsletterName={site.newsletterName} placement="footer" />
            <p>
              <a href="/">{site.name}</a> · {site.tagline}
            </p>
            <p>
              © {new Date().getFullYear()} {site.name}
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The requested path, with its `?page=N` if past the first page: what a page is canonically called by default. */
function requestedCanonicalPath(c: Context<AppEnv>): string {
  const page = Number(c.req.query('page'));
  return pagePath(c.req.path, Number.isInteger(page) ? page : 1);
}

/** The page layout, with a DOCTYPE, for `c.render(content, props)`. */
export const layoutRenderer = () =>
  jsxRenderer(({ children, Layout: _, ...props }: PageProps & { children?: Child; Layout: unknown }, c) => (
    <Layout
      site={siteConfig(c.env)}
      {...props}
      memberSignedIn={c.get('memberSignedIn') === true}
      canonicalPath={props.canonicalPath === undefined ? requestedCanonicalPath(c) : props.canonicalPath}
    >
      {children}
    </Layout>
  ));

/** A whole HTML document outside the renderer middleware, for error pages rendered by `onError`. */
export function renderDocument(site: SiteConfig, content: Child, props: PageProps = {}) {
  return html`<!DOCTYPE html>${(
    <Layout site={site} {...props}>
      {content}
    </Layout>
  )}`;
}
