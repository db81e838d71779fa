import { databaseTarget } from './wrangler';

/** `--env NAME` means that environment's remote database unless `--local` says otherwise; no `--env`, the local one. */
export function backupTarget(argv: string[]): string[] {
  const remote = argv.includes('--remote') || (argv.includes('--env') && !argv.includes('--local'));
  return databaseTarget(remote ? [...argv, '--remote'] : argv);
}
