/**
 * `npm run restore -- FILE [--env NAME] [--local] [--persist-to DIR]`: a backup of `npm run backup`
 * into an EMPTY database (the target is refused if it has any table): the schema, every row, the id
 * counters, and the search index rebuilt. `--env NAME` restores into that environment's remote D1.
 */
import { readFile } from 'node:fs/promises';
import { BACKUP_FORMAT, type Backup, restoreStatements } from './backup-file';
import { backupTarget } from './backup-target';
import { executeStatements, queryDatabase } from './wrangler';

const argv = process.argv.slice(2);
const file = argv[0];
if (!file || file.startsWith('--')) {
  console.error('Usage: npm run restore -- FILE [--env production] [--local] [--persist-to DIR]');
  process.exit(2);
}
const backup = JSON.parse(await readFile(file, 'utf8')) as Backup;
if (backup.format !== BACKUP_FORMAT) throw new Error(`${file} is not a ${BACKUP_FORMAT} file`);

const target = backupTarget(argv.slice(1));
const existing = queryDatabase<{ name: string }>(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  target,
);
if (existing.length > 0) {
  console.error(
    `restore: the target database is not empty (${existing.map(({ name }) => name).join(', ')}); restore into a new one`,
  );
  process.exit(1);
}
await executeStatements(restoreStatements(backup), target, 'restore');
const rows = Object.values(backup.tables).reduce((sum, table) => sum + table.length, 0);
console.log(`restored ${Object.keys(backup.tables).length} tables, ${rows} rows from ${file} (${backup.takenAt})`);
