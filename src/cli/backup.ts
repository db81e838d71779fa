/**
 * `npm run backup -- --env production [--out DIR]`: every table of the remote D1 (`--local` for the
 * local one) into DIR/edgepress-<env>-<time>.json. The rows are read in ONE request to D1 — one
 * statement per table, run back to back on the primary, which serves one request at a time — so
 * the backup is consistent: no write lands between two tables. `npm run restore` reads it back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKUP_FORMAT, type Backup, dataTables, quoteName, type Row, type SchemaEntry } from './backup-file';
import { backupTarget } from './backup-target';
import { queryStatements } from './wrangler';

const argv = process.argv.slice(2);
const target = backupTarget(argv);
const outIndex = argv.indexOf('--out');
const out = outIndex < 0 ? 'backups' : argv[outIndex + 1];
if (!out || out.startsWith('--')) throw new Error('--out needs a folder');

const SCHEMA = 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid';

function read(): Backup {
  const tables = dataTables(queryStatements<SchemaEntry>(SCHEMA, target)[0] ?? []);
  const [schema = [], ...rows] = queryStatements<Row>(
    [SCHEMA, ...tables.map((table) => `SELECT * FROM ${quoteName(table)} ORDER BY rowid`)].join(';\n'),
    target,
  ) as [SchemaEntry[], ...Row[][]];
  // A migration ran between the two requests: the tables read are not the schema's.
  if (dataTables(schema).join() !== tables.join())
    throw new Error('the schema changed during the backup; run it again');
  return {
    format: BACKUP_FORMAT,
    takenAt: new Date().toISOString(),
    source: target.join(' '),
    schema,
    tables: Object.fromEntries(tables.map((table, index) => [table, rows[index] ?? []])),
  };
}

const backup = read();
const environment = target.includes('--env') ? target[target.indexOf('--env') + 1] : 'local';
const file = join(out, `edgepress-${environment}-${backup.takenAt.replace(/[:.]/g, '-')}.json`);
await mkdir(out, { recursive: true });
await writeFile(file, `${JSON.stringify(backup)}\n`);
const counts = Object.entries(backup.tables).map(([table, rows]) => `${table} ${rows.length}`);
console.log(`${file}\n  ${counts.join(', ')}`);
