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
      {followers.length === 0 ? (
        <p>Nobody follows the publication or its authors yet.</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Follower</th>
              <th scope="col">Follows</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {followers.map((follower) => (
              <tr>
                <td>
                  <a href={follower.url ?? follower.followerId} rel="noopener">
                    {follower.name || follower.handle}
                  </a>{' '}
                  <span class="field-hint">{follower.handle}</span>
                </td>
                <td>@{follower.actor}</td>
                <td>
                  <DateTime date={follower.createdAt} timeZone={timeZone} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Likes and boosts</h2>
      {reactions.length === 0 ? (
        <p>No article has been liked or boosted yet.</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Article</th>
              <th scope="col">Likes</th>
              <th scope="col">Boosts</th>
            </tr>
          </thead>
          <tbody>
            {reactions.map((article) => (
              <tr>
                <td>
                  <a href={`/admin/articles/${article.id}`}>{article.headline}</a>
                  {article.publishedAt && (
                    <>
                      {' '}
                      (<a href={articlePath(article, timeZone)}>on the site</a>)
                    </>
                  )}
                </td>
                <td>{article.likes}</td>
                <td>{article.boosts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
