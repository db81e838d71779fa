import { AdminMessage, CsrfField } from '../../../layout/admin-layout';
import { DateTime } from '../../../layout/date-time';
import type { blockListQuery } from '../blocks';

type Block = Awaited<ReturnType<typeof blockListQuery>>[number];

/** The blocked emails, networks and Webmention domains: their new comments go straight to spam until the block is lifted. */
export function BlocksPage({ blocks, message, timeZone }: { blocks: Block[]; message?: string; timeZone: string }) {
  return (
    <>
      <h1>Blocked commenters</h1>
      <p>
        New comments from a blocked email address or network go straight to spam; the commenter is told nothing.{' '}
        <a href="/admin/comments">Back to the queue</a>
      </p>
      <AdminMessage text={message} />
      {blocks.length === 0 ? (
        <p>Nobody is blocked.</p>
      ) : (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Blocked</th>
              <th scope="col">From</th>
              <th scope="col">When, by whom</th>
              <th scope="col">
                <span class="visually-hidden">Lift</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((block) => (
              <tr>
                <td>
                  {block.kind === 'network' ? (
                    <>
                      Network <code>{block.value.slice(0, 12)}</code>
                    </>
                  ) : (
                    <>
                      {block.kind === 'email' ? 'Email' : 'Domain'} {block.value}
                    </>
                  )}
                </td>
                <td>
                  {block.commentId ? (
                    <a href={`/admin/comments/${block.commentId}`}>comment #{block.commentId}</a>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <DateTime date={block.createdAt} timeZone={timeZone} />
                  {block.createdByName ? `, ${block.createdByName}` : ''}
                </td>
                <td>
                  <form method="post" action={`/admin/comments/blocks/${block.id}/lift`}>
                    <CsrfField />
                    <button type="submit" class="secondary">
                      Lift
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
