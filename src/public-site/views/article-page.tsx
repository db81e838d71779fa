import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ThreadedComment } from '../../comments/threads';
import { CommentList } from '../../comments/views/comment-list';
import type { PublicComment } from '../../db/article-page';
import type { ArticleDetail } from '../../db/articles';
import { DateTime } from '../../layout/date-time';
import { NewsletterSignup } from '../../layout/newsletter-signup';
import { ResponsiveImage } from '../../media/views/responsive-image';
import { ACCOUNT_SIGN_IN_PATH, authorPath, SUBSCRIBE_PATH, sectionPath, tagPath } from '../../paths';
import { AuthorPhoto } from './author-photo';
import { Pagination } from './pagination';

export interface ArticlePageProps {
  article: ArticleDetail;
  path: string;
  /** The article's absolute address: its h-entry's `u-url`. */
  url: string;
  tags: { slug: string; name: string }[];
  threads: ThreadedComment<PublicComment>[];
  commentCount: number;
  commentPage: number;
  commentPageCount: number;
  timeZone: string;
  newsletterName: string;
  replyHref?: (commentId: number) => string;
  editHref?: (commentId: number) => string | undefined;
  /** The "Share your thoughts" form, when the article takes comments. */
  commentForm?: Child;
  /** Whether this reader gets the whole body of a members' or paid article, or its teaser. */
  readsWhole: boolean;
  /** The reader is signed in (an invitation to a paid article does not ask them to sign in). */
  signedIn: boolean;
}

/** The class of a members' or paid article's part that a reader without access does not get (named in its JSON-LD). */
export const PAYWALLED_CLASS = 'paywalled';

/** What a reader without access gets where the rest of the body would be: an invitation, never the text. */
function Invitation({ access, signedIn }: { access: 'members' | 'paid'; signedIn: boolean }) {
  return (
    <section class={`${PAYWALLED_CLASS} paywall-invitation`} aria-labelledby="paywall-heading">
      {access === 'members' ? (
        <>
          <h2 id="paywall-heading">Read on: this article is for members</h2>
          <p>
            Becoming a member is free: all it takes is your email address.{' '}
            <a href={ACCOUNT_SIGN_IN_PATH}>Sign up or sign in</a>
          </p>
        </>
      ) : (
        <>
          <h2 id="paywall-heading">Read on: this article is for subscribers</h2>
          <p>
            <a href={SUBSCRIBE_PATH}>Subscribe</a> to read it and every other article.
            {!signedIn && (
              <>
                {' '}
                Subscribed already? <a href={ACCOUNT_SIGN_IN_PATH}>Sign in</a>
              </>
            )}
          </p>
        </>
      )}
    </section>
  );
}

/**
 * The body as this reader gets it: a public article's whole; a members' or paid article's whole with its
 * paywalled part marked, or its teaser and an invitation (the rest is not in the page).
 */
function ArticleBody({ article, readsWhole, signedIn }: Pick<ArticlePageProps, 'article' | 'readsWhole' | 'signedIn'>) {
  const { access, bodyHtml, teaserHtml } = article;
  if (access === 'public') return <div class="article-body e-content">{raw(bodyHtml)}</div>;
  if (!readsWhole) {
    return (
      <>
        <div class="article-body e-content">{raw(teaserHtml)}</div>
        <Invitation access={access} signedIn={signedIn} />
      </>
    );
  }
  const lead = bodyHtml.startsWith(teaserHtml) ? teaserHtml : '';
  return (
    <div class="article-body e-content">
      {raw(lead)}
      <div class={PAYWALLED_CLASS}>{raw(bodyHtml.slice(lead.length))}</div>
    </div>
  );
}

function HeroFigure({ article }: { article: ArticleDetail }) {
  if (!article.heroImageUrl) return null;
  return (
    <figure class="hero">
      <ResponsiveImage
        src={article.heroImageUrl}
        alt={article.heroImageAlt}
        width={article.heroImageWidth}
        height={article.heroImageHeight}
        sizes="(min-width: 48rem) 46rem, 100vw"
        priority
      />
      {article.heroImageCredit && <figcaption>Image Credit: {article.heroImageCredit}</figcaption>}
    </figure>
  );
}

/**
 * The article page. The article is a microformats2 `h-entry` (name, summary, author as an `h-card`,
 * publication time, address, content, categories), told by class names alone.
 */
export function ArticlePage(props: ArticlePageProps) {
  const { article, tags, timeZone } = props;
  const countText = `${props.commentCount} ${props.commentCount === 1 ? 'Comment' : 'Comments'}`;
  return (
    <>
      <article class="article h-entry">
        <header class="article-header">
          <a class="section-label" href={sectionPath(article.sectionSlug)}>
            {article.sectionName}
          </a>
          <h1 class="p-name">{article.headline}</h1>
          {article.standfirst && <p class="standfirst p-summary">{article.standfirst}</p>}
          <p class="byline">
            <span class="p-author h-card">
              <AuthorPhoto
                hash={article.authorPhotoHash}
                width={article.authorPhotoWidth}
                height={article.authorPhotoHeight}
                alt=""
                sizes="2.5rem"
                class="byline-photo u-photo"
              />
              By{' '}
              <a class="p-name u-url" href={authorPath(article.authorSlug)} rel="author">
                {article.authorName}
              </a>
            </span>
            {article.publishedAt && (
              <>
                {' · '}
                <data class="u-url" value={props.url}>
                  <DateTime class="dt-published" date={article.publishedAt} timeZone={timeZone} />
                </data>
              </>
            )}
          </p>
        </header>
        <HeroFigure article={article} />
        <ArticleBody article={article} readsWhole={props.readsWhole} signedIn={props.signedIn} />
        {tags.length > 0 && (
          <footer class="article-tags">
            <h2 class="visually-hidden">Tags</h2>
            <ul>
              {tags.map((tag) => (
                <li>
                  <a class="p-category" href={tagPath(tag.slug)} rel="tag">
                    {tag.name}
                  </a>
                </li>
              ))}
            </ul>
          </footer>
        )}
      </article>
      <NewsletterSignup newsletterName={props.newsletterName} placement="article" />
      <section id="comments" class="comments" aria-labelledby="comments-heading">
        <h2 id="comments-heading">{countText}</h2>
        {props.threads.length > 0 && (
          <CommentList
            threads={props.threads}
            timeZone={timeZone}
            replyHref={props.replyHref}
            editHref={props.editHref}
          />
        )}
        <Pagination
          path={props.path}
          page={props.commentPage}
          pageCount={props.commentPageCount}
          label="More comments"
          fragment="#comments"
          newerText="Newer comments"
          olderText="Older comments"
        />
        {props.commentForm}
      </section>
    </>
  );
}
