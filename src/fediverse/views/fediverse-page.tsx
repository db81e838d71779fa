import { AdminTable } from '../../layout/admin-table';
import { DateTime } from '../../layout/date-time';
import { articlePath } from '../../paths';
import type { allFollowers, reactionCounts } from '../queries';

interface FediversePageProps {
  handle: string;
  followers: Awaited<ReturnType<typeof allFollowers>>;
  reactions: Awaited<ReturnType<typeof reactionCounts>>;
  timeZone: string;
}

/** Who follows the publication and its authors on the fediverse, and how each article was liked and boosted. */
export function FediversePage({ handle, followers, reactions, timeZone }: FediversePageProps) {
  return (
    <>
      <h1>Fediverse</h1>
      <p>
        The publication is <code>{handle}</code>; each author is <code>@their-slug</code> on the same server. Replies
        arrive in the <a href="/admin/comments">comment queue</a>.
      </p>
      <h2>Followers</h2>
      <AdminTable
        columns={['Follower', 'Follows', 'Since']}
        rows={followers}
        cells={(follower) => [
          <>
            <a href={follower.url ?? follower.followerId} rel="noopener">
              {follower.name || follower.handle}
            </a>{' '}
            <span class="field-hint">{follower.handle}</span>
          </>,
          `@${follower.actor}`,
          <DateTime date={follower.createdAt} timeZone={timeZone} />,
        ]}
        empty="Nobody follows the publication or its authors yet."
      />
      <h2>Likes and boosts</h2>
      <AdminTable
        columns={['Article', 'Likes', 'Boosts']}
        rows={reactions}
        cells={(article) => [
          <>
            <a href={`/admin/articles/${article.id}`}>{article.headline}</a>
            {article.publishedAt && (
              <>
                {' '}
                (<a href={articlePath(article, timeZone)}>on the site</a>)
              </>
            )}
          </>,
          article.likes,
          article.boosts,
        ]}
        empty="No article has been liked or boosted yet."
      />
    </>
  );
}
