import type { Context } from '@fedify/fedify';
import { Article, Hashtag, Image, PUBLIC_COLLECTION } from '@fedify/vocab';
import { Temporal } from '@js-temporal/polyfill';
import { siteConfig } from '../config';
import { withAbsoluteLinks } from '../lib/absolute-links';
import { mediaHashOf, shareImagePath } from '../media/keys';
import { absoluteUrl, articlePath, tagPath } from '../paths';
import type { FederationData } from './federation';
import type { FederatedArticle } from './queries';

const instant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

/** A body larger than this (UTF-8) is left out: an activity must fit a Queue message (128 KB) with room to spare. */
export const MAX_CONTENT_BYTES = 64 * 1024;

/**
 * An article as the fediverse reads it: an `Article` with its headline (`name`), standfirst
 * (`summary`), address (`url`), hero image and tags as hashtags. Mastodon shows an Article as its
 * name, summary and link, with the image and the hashtags (docs/fediverse.md); servers that render
 * long-form writing read the body (`content`) too.
 */
export async function articleObject(ctx: Context<FederationData>, article: FederatedArticle): Promise<Article> {
  const site = siteConfig(ctx.data.env);
  const url = absoluteUrl(site.url, articlePath(article, site.timeZone));
  const heroHash = mediaHashOf(article.heroImageUrl);
  const hero = heroHash ? absoluteUrl(site.url, shareImagePath(heroHash)) : article.heroImageUrl;
  return new Article({
    id: ctx.getObjectUri(Article, { id: String(article.id) }),
    attribution: ctx.getActorUri(article.author),
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(article.author), ctx.getFollowersUri(site.fediverseHandle)],
    name: article.headline,
    summary: article.standfirst || null,
    content:
      new TextEncoder().encode(article.bodyHtml).length > MAX_CONTENT_BYTES
        ? null
        : await withAbsoluteLinks(article.bodyHtml, url),
    mediaType: 'text/html',
    url: new URL(url),
    published: instant(article.publishedAt),
    updated: article.updatedAt > article.publishedAt ? instant(article.updatedAt) : null,
    attachments: hero
      ? [
          new Image({
            url: new URL(hero, site.url),
            mediaType: heroHash ? 'image/jpeg' : null,
            name: article.heroImageAlt || null,
          }),
        ]
      : [],
    tags: article.tags.map(
      (tag) =>
        new Hashtag({
          href: new URL(absoluteUrl(site.url, tagPath(tag.slug))),
          name: `#${tag.name.replace(/[^\p{L}\p{N}_]/gu, '')}`,
        }),
    ),
  });
}
