import type { SiteConfig } from '../../config';
import type { ArticleDetail } from '../../db/articles';
import { jsonForScript } from '../../lib/json-ld';
import { mediaHashOf, shareImagePath } from '../../media/keys';
import { SHARE_IMAGE } from '../../media/rules';
import {
  absoluteUrl,
  authorPath,
  DEFAULT_SHARE_IMAGE,
  fediverseArticlePath,
  fediverseHandle,
  LOGO_PATH,
} from '../../paths';
import { PAYWALLED_CLASS } from './article-page';

interface ArticleMetaProps {
  article: ArticleDetail;
  tags: { name: string }[];
  /** The article's absolute URL. */
  url: string;
  site: SiteConfig;
}

/** schema.org NewsArticle, as search engines read it from JSON-LD. */
function newsArticle({ article, tags, url, site }: ArticleMetaProps, image: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.headline,
    description: article.standfirst,
    image: [image],
    datePublished: article.publishedAt?.toISOString(),
    dateModified: article.updatedAt.toISOString(),
    author: [
      { '@type': 'Person', name: article.authorName, url: absoluteUrl(site.url, authorPath(article.authorSlug)) },
    ],
    publisher: {
      '@type': 'Organization',
      name: site.name,
      logo: { '@type': 'ImageObject', url: absoluteUrl(site.url, LOGO_PATH) },
    },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    articleSection: article.sectionName,
    keywords: tags.map((tag) => tag.name),
    // A members' or paid article, as Google's guidelines for subscription and paywalled content mark it.
    ...(article.access !== 'public' && {
      isAccessibleForFree: false,
      hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: `.${PAYWALLED_CLASS}` },
    }),
  };
}

/**
 * An article's OpenGraph and Twitter card tags, its JSON-LD, its author on the fediverse (Mastodon credits them
 * on link previews) and its ActivityPub object, for the page's head.
 */
export function ArticleMeta(props: ArticleMetaProps) {
  const { article, tags, url, site } = props;
  const hash = mediaHashOf(article.heroImageUrl);
  const image = absoluteUrl(site.url, hash ? shareImagePath(hash) : DEFAULT_SHARE_IMAGE);
  const imageAlt = hash ? article.heroImageAlt : site.name;
  const title = article.socialTitle || article.headline;
  const description = article.socialDescription || article.standfirst;
  return (
    <>
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.name} />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="og:image" content={image} />
      <meta property="og:image:type" content="image/jpeg" />
      <meta property="og:image:width" content={String(SHARE_IMAGE.width)} />
      <meta property="og:image:height" content={String(SHARE_IMAGE.height)} />
      {imageAlt && <meta property="og:image:alt" content={imageAlt} />}
      {article.publishedAt && <meta property="article:published_time" content={article.publishedAt.toISOString()} />}
      <meta property="article:modified_time" content={article.updatedAt.toISOString()} />
      <meta property="article:section" content={article.sectionName} />
      {tags.map((tag) => (
        <meta property="article:tag" content={tag.name} />
      ))}
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      <meta name="twitter:image" content={image} />
      <meta name="fediverse:creator" content={fediverseHandle(article.authorSlug, site.url)} />
      <link
        rel="alternate"
        type="application/activity+json"
        href={absoluteUrl(site.url, fediverseArticlePath(article.id))}
      />
      <script
        type="application/ld+json"
        dangerouslySetInnerHTML={{ __html: jsonForScript(newsArticle(props, image)) }}
      />
    </>
  );
}
