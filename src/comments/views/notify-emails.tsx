import type { SiteConfig } from '../../config';
import { EmailDocument, wrapText } from '../../newsletter/views/emails';
import { formatCommentText } from '../text';

const muted = 'color:#5f6368;font-size:14px';
const link = 'color:#0b4f8a';

export interface ConfirmationContent {
  site: SiteConfig;
  headline: string;
  confirmUrl: string;
}

export const notifyConfirmationSubject = ({ site }: ConfirmationContent) =>
  `Confirm comment notifications from ${site.name}`;

const confirmationIntro = ({ site, headline }: ConfirmationContent) =>
  `Someone, we hope you, asked ${site.name} to email this address when someone replies to a comment on “${headline}”.`;
const confirmationFooter =
  'The link works for 7 days and opens a page with a button: nothing changes until you press it. Once confirmed, this address is not asked again when it ticks the box under another article. If you did not ask for this, ignore this email: you will not hear from us.';

export function NotifyConfirmationEmail(content: ConfirmationContent) {
  return (
    <EmailDocument title={notifyConfirmationSubject(content)}>
      <p>{confirmationIntro(content)}</p>
      <p>
        <a href={content.confirmUrl} style={`${link};font-weight:700`}>
          Confirm notifications
        </a>
      </p>
      <p style={muted}>{confirmationFooter}</p>
    </EmailDocument>
  );
}

export const notifyConfirmationText = (content: ConfirmationContent) =>
  [wrapText(confirmationIntro(content)), `Confirm here:\n${content.confirmUrl}`, wrapText(confirmationFooter)].join(
    '\n\n',
  );

export interface NotifiedComment {
  authorName: string;
  body: string;
  url: string;
  /** It answers one of the follower's own comments (otherwise it is a new comment on the article). */
  answersFollower: boolean;
}

export interface NotificationContent {
  site: SiteConfig;
  headline: string;
  comments: NotifiedComment[];
  /** The comments beyond those shown, on the article's page. */
  more: { count: number; url: string };
  stopThreadUrl: string;
  stopAllUrl: string;
}

const what = (comment: NotifiedComment) =>
  comment.answersFollower ? `${comment.authorName} replied to your comment:` : `${comment.authorName} commented:`;

export function notificationSubject({ headline, comments, more }: NotificationContent): string {
  const [only] = comments;
  if (comments.length > 1) return `${comments.length + more.count} new comments on “${headline}”`;
  return only!.answersFollower ? `${only!.authorName} replied to you on “${headline}”` : `New comment on “${headline}”`;
}

const moreText = ({ more }: NotificationContent) =>
  `…and ${more.count} more ${more.count === 1 ? 'comment' : 'comments'} on the article’s page.`;

const footer = ({ site, headline }: NotificationContent) =>
  `You receive this because you asked ${site.name} to tell you about comments on “${headline}”.`;

export function NotificationEmail(content: NotificationContent) {
  return (
    <EmailDocument title={notificationSubject(content)}>
      <p style="font:700 20px/1.3 Georgia,serif;margin:0 0 16px">{content.headline}</p>
      {content.comments.map((comment) => (
        <div style="border-top:1px solid #e3e0d8;padding:16px 0">
          <p style="margin:0 0 8px;font-weight:700">{what(comment)}</p>
          {formatCommentText(comment.body).map((paragraph) => (
            <p style="margin:0 0 8px">
              {paragraph.map((line, i) => [i > 0 && <br />, line.map((segment) => segment.text)])}
            </p>
          ))}
          <a href={comment.url} style={link}>
            Read it on {content.site.name}
          </a>
        </div>
      ))}
      {content.more.count > 0 && (
        <p>
          <a href={content.more.url} style={link}>
            {moreText(content)}
          </a>
        </p>
      )}
      <p style={`border-top:1px solid #e3e0d8;padding-top:16px;${muted}`}>
        {footer(content)}{' '}
        <a href={content.stopThreadUrl} style={link}>
          Stop emails about this article
        </a>{' '}
        ·{' '}
        <a href={content.stopAllUrl} style={link}>
          Stop all comment emails
        </a>
      </p>
    </EmailDocument>
  );
}

export function notificationText(content: NotificationContent): string {
  return [
    content.headline,
    ...content.comments.map((comment) => [what(comment), comment.body.trim(), `Read it: ${comment.url}`].join('\n\n')),
    ...(content.more.count > 0 ? [`${moreText(content)}\n${content.more.url}`] : []),
    [
      '--',
      wrapText(footer(content)),
      `Stop emails about this article: ${content.stopThreadUrl}`,
      `Stop all comment emails: ${content.stopAllUrl}`,
    ].join('\n'),
  ].join('\n\n');
}
