import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { siteConfig } from '../config';
import { loadArticlePage } from '../db/article-page';
import { createDb } from '../db/client';
import { buildThreads, COMMENTS_PER_PAGE } from '../domain/comment-threads';
import { articlePath } from '../domain/paths';
import { ArticlePage } from '../views/article-page';
import { pageCount, pageQuery } from './page-query';
import { publicPageCache } from './public-page-cache';

export const articleRoutes = new Hono<AppEnv>().get(
  '/:year{[0-9]{4}}/:month{[0-9]{2}}/:slug{[a-z0-9-]+}',
  publicPageCache,
  pageQuery,
  async (c) => {
    const { year, month, slug } = c.req.param();
    const { page } = c.req.valid('query');
    const site = siteConfig(c.env);
    const loaded = await loadArticlePage(createDb(c.env.DB), {
      slug,
      commentPage: page,
      commentsPerPage: COMMENTS_PER_PAGE,
    });
    if (!loaded) return c.notFound();
    const path = articlePath(loaded.article, site.timeZone);
    if (path !== `/${year}/${month}/${slug}`) return c.redirect(path, 301);
    const commentPageCount = pageCount(loaded.topLevelCommentCount, COMMENTS_PER_PAGE);
    if (page > commentPageCount) return c.notFound();
    return c.render(
      <ArticlePage
        article={loaded.article}
        path={path}
        tags={loaded.tags}
        threads={buildThreads(loaded.roots, loaded.replies)}
        commentCount={loaded.commentCount}
        commentPage={page}
        commentPageCount={commentPageCount}
        timeZone={site.timeZone}
      />,
      { title: loaded.article.headline, description: loaded.article.standfirst, sections: loaded.sections },
    );
  },
);
