import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import { jsxRenderer } from 'hono/jsx-renderer';
import { type SiteConfig, siteConfig } from '../config';
import type { NavigationSection } from '../db/sections';
import { sectionPath } from '../domain/paths';

export interface PageProps {
  title?: string;
  description?: string;
  /** Sections for the header's navigation; error pages rendered without the database pass none. */
  sections?: NavigationSection[];
}

declare module 'hono' {
  interface ContextRenderer {
    (content: Child, props: PageProps): Response | Promise<Response>;
  }
}

function Layout({ children, site, title, description, sections = [] }: PageProps & { site: SiteConfig; children?: Child }) {
  const pageTitle = title ? `${title} | ${site.name}` : `${site.name}: ${site.tagline}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{pageTitle}</title>
        <meta name="description" content={description ?? site.tagline} />
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href="/styles.css" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
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
          </div>
          {sections.length > 0 && (
            <nav class="site-nav" aria-label="Sections">
              <ul class="wrap">
                {sections.map((section) => (
                  <li>
                    <a href={sectionPath(section.slug)}>{section.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </header>
        <main id="main" class="wrap">
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              <a href="/">{site.name}</a> · {site.tagline}
            </p>
            <p>© {new Date().getFullYear()} {site.name}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The page layout, with a DOCTYPE, for `c.render(content, props)`. */
export const layoutRenderer = () =>
  jsxRenderer(({ children, Layout: _, ...props }: PageProps & { children?: Child; Layout: unknown }, c) => (
    <Layout site={siteConfig(c.env)} {...props}>
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
