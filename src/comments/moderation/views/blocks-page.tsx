import { AdminMessage, CsrfField } from '../../../layout/admin-layout';
import { AdminTable } from '../../../layout/admin-table';
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
      <AdminTable
        columns={['Blocked', 'From', 'When, by whom', { hidden: 'Lift' }]}
        rows={blocks}
        cells={(block) => [
          block.kind === 'network' ? (
            <>
              Network <code>{block.value.slice(0, 12)}</code>
            </>
          ) : (
            <>
              {block.kind === 'email' ? 'Email' : 'Domain'} {block.value}
            </>
          ),
          block.commentId ? <a href={`/admin/comments/${block.commentId}`}>comment #{block.commentId}</a> : '—',
          <>
            <DateTime date={block.createdAt} timeZone={timeZone} />
            {block.createdByName ? `, ${block.createdByName}` : ''}
          </>,
          <form method="post" action={`/admin/comments/blocks/${block.id}/lift`}>
            <CsrfField />
            <button type="submit" class="secondary">
              Lift
            </button>
          </form>,
        ]}
        empty="Nobody is blocked."
      />
    </>
  );
}
