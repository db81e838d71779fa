import type { Child } from 'hono/jsx';
import type { SiteConfig } from '../../config';
import type { IssueSnapshot } from '../../db/schema';
import { renderMarkdown } from '../../lib/markdown';

/** Stands in the stored issue for each subscriber's own unsubscribe link, put in when it is sent. */
export const UNSUBSCRIBE_URL_PLACEHOLDER = '{{unsubscribe_url}}';

export type IssueArticle = IssueSnapshot['articles'][number];

/** Everything an issue shows, whoever reads it: subscribers in their inbox, readers in the archive. */
export interface IssueContent extends IssueSnapshot {
  site: SiteConfig;
  number: number;
  /** The issue's page in the archive ("View in your browser"). */
  webUrl: string;
}

const TEXT_WIDTH = 72;
const font = 'font-family:Georgia,serif;color:#1d1d1f';

/** Wraps prose at word boundaries for the plain-text part (a word longer than the width keeps its own line). */
export function wrapText(text: string, width = TEXT_WIDTH): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Markdown as the text part carries it: the source is readable as it is, each paragraph wrapped. */
const markdownText = (source: string) =>
  source
    .split(/\n\s*\n/)
    .map((paragraph) => wrapText(paragraph))
    .filter(Boolean)
    .join('\n\n');

/** The subject an issue gets until an editor writes another. */
export const defaultIssueSubject = (site: SiteConfig, number: number, date: string) =>
  `${site.newsletterName} No. ${number}: ${date}`;

export function EmailDocument({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={`margin:0;padding:24px;background:#fdfcf9;${font}`}>
        <div style="max-width:600px;margin:0 auto">{children}</div>
      </body>
    </html>
  );
}

/** The introduction or closing note (Markdown: raw HTML in it comes out escaped). */
function MarkdownBlock({ source }: { source: string }) {
  if (!source.trim()) return null;
  return <div style="margin:0 0 16px" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}

export function IssueEmail({ subject, ...issue }: IssueContent & { subject: string }) {
  const { site } = issue;
  return (
    <EmailDocument title={subject}>
      {issue.preheader && (
        <div style="display:none;max-height:0;overflow:hidden;opacity:0;color:transparent">{issue.preheader}</div>
      )}
      <p style="font-size:13px;color:#5f6368;margin:0 0 16px">
        <a href={issue.webUrl} style="color:#5f6368">
          View in your browser
        </a>
      </p>
      <p style="font:700 24px/1.2 Georgia,serif;margin:0">{site.newsletterName}</p>
      <p style="color:#5f6368;margin:4px 0 24px">
        No. {issue.number} · {issue.date} · the week on <a href={site.url}>{site.name}</a>
      </p>
      <MarkdownBlock source={issue.intro} />
      {issue.articles.map((article) => (
        <div style="border-top:1px solid #e3e0d8;padding:16px 0">
          <h2 style="font-size:20px;line-height:1.3;margin:0 0 8px">
            <a href={article.url} style="color:#0b4f8a">
              {article.headline}
            </a>
          </h2>
          {article.standfirst && <p style="margin:0 0 8px">{article.standfirst}</p>}
          <a href={article.url} style="color:#0b4f8a">
            Read the article
          </a>
        </div>
      ))}
      {issue.closing.trim() && (
        <div style="border-top:1px solid #e3e0d8;padding-top:16px">
          <MarkdownBlock source={issue.closing} />
        </div>
      )}
      <p style="border-top:1px solid #e3e0d8;padding-top:16px;color:#5f6368;font-size:14px">
        You receive {site.newsletterName} because you subscribed on {site.name}.{' '}
        <a href={UNSUBSCRIBE_URL_PLACEHOLDER}>Unsubscribe</a>
      </p>
    </EmailDocument>
  );
}

export function issueText(issue: IssueContent): string {
  const { site } = issue;
  return [
    `View in your browser: ${issue.webUrl}`,
    `${site.newsletterName}\nNo. ${issue.number} · ${issue.date} · the week on ${site.name}`,
    markdownText(issue.intro),
    ...issue.articles.map((article) =>
      [wrapText(article.headline), article.standfirst && wrapText(article.standfirst), article.url]
        .filter(Boolean)
        .join('\n'),
    ),
    markdownText(issue.closing),
    `--\nYou receive ${site.newsletterName} because you subscribed on ${site.name}.\nUnsubscribe: ${UNSUBSCRIBE_URL_PLACEHOLDER}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

export interface ConfirmationContent {
  site: SiteConfig;
  confirmUrl: string;
}

export const confirmationSubject = ({ site }: ConfirmationContent) =>
  `Please confirm your subscription to ${site.newsletterName}`;

export function ConfirmationEmail(content: ConfirmationContent) {
  const { site } = content;
  return (
    <EmailDocument title={confirmationSubject(content)}>
      <p>
        Someone, we hope you, asked to receive {site.newsletterName}, the weekly newsletter of {site.name}, at this
        address.
      </p>
      <p>
        <a href={content.confirmUrl} style="color:#0b4f8a;font-weight:700">
          Confirm my subscription
        </a>
      </p>
      <p style="color:#5f6368;font-size:14px">
        The link works for 7 days. If you did not ask for this, ignore this email: you will not hear from us again.
      </p>
    </EmailDocument>
  );
}

export function confirmationText({ site, confirmUrl }: ConfirmationContent): string {
  return [
    wrapText(
      `Someone, we hope you, asked to receive ${site.newsletterName}, the weekly newsletter of ${site.name}, at this address.`,
    ),
    `Confirm your subscription here:\n${confirmUrl}`,
    wrapText(
      'The link works for 7 days. If you did not ask for this, ignore this email: you will not hear from us again.',
    ),
  ].join('\n\n');
}

/** An email's HTML part, a whole document, from a JSX element (which renders when made a string). */
export async function renderEmailHtml(email: string | Promise<string>): Promise<string> {
  return `<!DOCTYPE html>${await email.toString()}`;
}
