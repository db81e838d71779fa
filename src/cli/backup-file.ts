/**
 * The backup format of `npm run backup` / `npm run restore`: the schema as sqlite_master holds it and
 * every row of every table, as JSON. Full-text indexes (FTS5 virtual tables and their shadow tables)
 * are left out — `wrangler d1 export` refuses a database that has one — and rebuilt on restore.
 */
export const BACKUP_FORMAT = 'edgepress-d1-backup/1';

export interface SchemaEntry {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  tbl_name: string;
  sql: string | null;
}

type Value = string | number | null;
export type Row = Record<string, Value>;

export interface Backup {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  source: string;
  schema: SchemaEntry[];
  /** Rows of each table, in rowid order; `sqlite_sequence` too, so new ids continue where they were. */
  tables: Record<string, Row[]>;
}

const FTS5_SHADOW_SUFFIXES = ['_data', '_idx', '_content', '_docsize', '_config'];
/** D1's own tables: never exported, and refused if written. */
const INTERNAL = /^(_cf_|sqlite_(?!sequence$))/;

const isVirtual = (entry: SchemaEntry) => /^CREATE VIRTUAL TABLE/i.test(entry.sql ?? '');

/** The tables whose rows are backed up: not D1's, not a virtual table, not a virtual table's storage. */
export function dataTables(schema: SchemaEntry[]): string[] {
  const virtual = schema.filter(isVirtual).map((entry) => entry.name);
  return schema
    .filter((entry) => entry.type === 'table' && !INTERNAL.test(entry.name) && !isVirtual(entry))
    .filter((entry) => !virtual.some((name) => FTS5_SHADOW_SUFFIXES.some((suffix) => entry.name === name + suffix)))
    .map((entry) => entry.name);
}

/** sqlite_master without D1's entries and without the virtual tables' shadow tables. */
export function restorableSchema(schema: SchemaEntry[]): SchemaEntry[] {
  const tables = new Set(dataTables(schema));
  return schema.filter(
    (entry) =>
      entry.sql !== null &&
      entry.name !== 'sqlite_sequence' &&
      (isVirtual(entry) || (entry.type === 'table' ? tables.has(entry.name) : tables.has(entry.tbl_name))),
  );
}

export const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

function literal(value: Value): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

/** The tables a table's CREATE statement references, so parents are filled before children. */
function referencedTables(sql: string): string[] {
  return [...sql.matchAll(/REFERENCES\s+[`"[]?([\w]+)/gi)].map((match) => match[1]!);
}

function parentsFirst(tables: SchemaEntry[]): SchemaEntry[] {
  const ordered: SchemaEntry[] = [];
  const visit = (entry: SchemaEntry, path: Set<string>) => {
    if (ordered.includes(entry) || path.has(entry.name)) return;
    path.add(entry.name);
    for (const parent of referencedTables(entry.sql ?? '')) {
      const table = tables.find((candidate) => candidate.name === parent);
      if (table) visit(table, path);
    }
    ordered.push(entry);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/**
 * D1 refuses a statement over 100,000 bytes (SQLITE_TOOBIG), however large a row may be (up to 2 MB):
 * rows go in INSERTs of at most this many bytes of UTF-8. A row that alone is larger goes in as its
 * INSERT with each long text cut to its first piece, then one `UPDATE … SET column = column || piece
 * WHERE rowid = last_insert_rowid()` per further piece. Restore runs them in order in one
 * `wrangler d1 execute`, before any trigger exists, so the row ends up byte for byte as backed up.
 */
export const MAX_STATEMENT_BYTES = 90_000;
/** What an appending UPDATE needs besides its piece: the statement's words and the names in it. */
const UPDATE_OVERHEAD_BYTES = 1_000;

const encoder = new TextEncoder();
export const utf8Bytes = (text: string) => encoder.encode(text).length;

/** `text` as SQL string literals of at most `maxBytes` bytes each, cut between code points. */
function literalPieces(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let bytes = 2;
  for (const char of text) {
    const escaped = char === "'" ? "''" : char;
    const size = utf8Bytes(escaped);
    if (bytes + size > maxBytes && piece !== '') {
      pieces.push(`'${piece}'`);
      piece = '';
      bytes = 2;
    }
    piece += escaped;
    bytes += size;
  }
  pieces.push(`'${piece}'`);
  return pieces;
}

/** `UPDATE … SET column = column || piece WHERE …` for each piece of `text` that fits in one statement. */
export function appendedText(table: string, column: string, where: string, text: string): string[] {
  return literalPieces(text, MAX_STATEMENT_BYTES - UPDATE_OVERHEAD_BYTES).map(
    (piece) => `UPDATE ${quoteName(table)} SET ${quoteName(column)} = ${quoteName(column)} || ${piece} WHERE ${where};`,
  );
}

/** A row too large for one statement: its INSERT with long texts cut short, then the rest of each text appended. */
function oversizedRow(head: string, table: string, columns: string[], row: Row): string[] {
  // Each column's first piece gets an equal share of the INSERT.
  const share = Math.floor((MAX_STATEMENT_BYTES - utf8Bytes(head)) / columns.length) - 4;
  const appends: string[] = [];
  const values = columns.map((column) => {
    const value = row[column] ?? null;
    if (typeof value !== 'string' || utf8Bytes(literal(value)) <= share) return literal(value);
    const [first] = literalPieces(value, share);
    const rest = value.slice(first!.slice(1, -1).replaceAll("''", "'").length);
    appends.push(...appendedText(table, column, 'rowid = last_insert_rowid()', rest));
    return first!;
  });
  return [`${head}(${values.join(', ')});`, ...appends];
}

function inserts(table: string, rows: Row[]): string[] {
  const statements: string[] = [];
  let values: string[] = [];
  let bytes = 0;
  const columns = Object.keys(rows[0] ?? {});
  const head = `INSERT INTO ${quoteName(table)} (${columns.map(quoteName).join(', ')}) VALUES\n`;
  const headBytes = utf8Bytes(head);
  const flush = () => {
    if (values.length > 0) statements.push(`${head}${values.join(',\n')};`);
    values = [];
    bytes = 0;
  };
  for (const row of rows) {
    const tuple = `(${columns.map((column) => literal(row[column] ?? null)).join(', ')})`;
    const size = utf8Bytes(tuple);
    if (headBytes + size + 1 > MAX_STATEMENT_BYTES) {
      flush();
      statements.push(...oversizedRow(head, table, columns, row));
      continue;
    }
    if (headBytes + bytes + size + 1 > MAX_STATEMENT_BYTES) flush();
    values.push(tuple);
    bytes += size + 2;
  }
  flush();
  return statements;
}

/**
 * The SQL that rebuilds a backup in an empty database: the tables (parents first), their rows, the
 * id counters, then the full-text indexes rebuilt from their content tables, then indexes and
 * triggers (created last, so restoring rows fires no trigger).
 */
export function restoreStatements(backup: Backup): string[] {
  const schema = restorableSchema(backup.schema);
  const tables = parentsFirst(schema.filter((entry) => entry.type === 'table' && !isVirtual(entry)));
  const sequence = backup.tables.sqlite_sequence ?? [];
  return [
    'PRAGMA defer_foreign_keys = on;',
    ...tables.map((entry) => `${entry.sql};`),
    ...tables.flatMap((entry) => inserts(entry.name, backup.tables[entry.name] ?? [])),
    ...sequence.flatMap(({ name = null, seq = null }) => [
      `UPDATE sqlite_sequence SET seq = ${literal(seq)} WHERE name = ${literal(name)};`,
      `INSERT INTO sqlite_sequence (name, seq) SELECT ${literal(name)}, ${literal(seq)} WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${literal(name)});`,
    ]),
    ...schema
      .filter(isVirtual)
      .flatMap((entry) => [
        `${entry.sql};`,
        `INSERT INTO ${quoteName(entry.name)} (${quoteName(entry.name)}) VALUES ('rebuild');`,
      ]),
    ...schema.filter((entry) => entry.type !== 'table').map((entry) => `${entry.sql};`),
  ];
}
