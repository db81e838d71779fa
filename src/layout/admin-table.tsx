import type { Child } from 'hono/jsx';

/** A column's header or a table's caption: its text, or its text hidden from sight but read out by screen readers. */
export type TableLabel = string | { hidden: string };

const isHidden = (label: TableLabel): label is { hidden: string } => typeof label !== 'string';

/**
 * One of the admin's list tables: a header row of `columns`, then a row per item of `rows` with the
 * cells `cells` gives it. With no rows, `empty` (if given) says so: in the table's body when the table
 * has a caption readers see (the caption still says what is empty), otherwise in a paragraph in the
 * table's place. With no rows and no `empty`, nothing.
 *
 * @example
 * <AdminTable
 *   columns={['Address', 'Status']}
 *   rows={subscribers}
 *   cells={(subscriber) => [subscriber.email, subscriber.status]}
 *   empty="Nobody has signed up yet."
 * />
 */
export function AdminTable<Row>(props: {
  columns: TableLabel[];
  rows: readonly Row[];
  cells: (row: Row) => Child[];
  empty?: Child;
  /** Another class beside `admin-table`. */
  class?: string;
  caption?: TableLabel;
}) {
  const { caption } = props;
  if (props.rows.length === 0) {
    if (props.empty === undefined) return null;
    if (caption === undefined || isHidden(caption)) return <p>{props.empty}</p>;
  }
  return (
    <table class={props.class ? `admin-table ${props.class}` : 'admin-table'}>
      {caption !== undefined &&
        (isHidden(caption) ? (
          <caption class="visually-hidden">{caption.hidden}</caption>
        ) : (
          <caption>{caption}</caption>
        ))}
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col">{isHidden(column) ? <span class="visually-hidden">{column.hidden}</span> : column}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 ? (
          <tr>
            <td colspan={props.columns.length}>{props.empty}</td>
          </tr>
        ) : (
          props.rows.map((row) => (
            <tr>
              {props.cells(row).map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
