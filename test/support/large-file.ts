/** Writing a large export for the imports' memory checks, as it goes, so that writing it takes little memory. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Writes `head`, then `next(0)`, `next(1)`… until the file holds about `megabytes` MB, then `tail`; returns how many `next` wrote. */
export async function writeToSize(
  path: string,
  megabytes: number,
  parts: { head: string; next: (index: number) => string; tail: string },
): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(parts.head);
  let count = 0;
  for (; bytes < megabytes * 1024 * 1024; count += 1) await write(parts.next(count));
  await write(parts.tail);
  out.end();
  await once(out, 'finish');
  return count;
}

/** `npx tsx test/support/<script>.ts OUT.xml [MEGABYTES=100]`, when `script` is the file run. */
export async function fromCommandLine(
  url: string,
  what: string,
  write: (path: string, megabytes: number) => Promise<number>,
): Promise<void> {
  if (process.argv[1] !== new URL(url).pathname) return;
  const [path, megabytes = '100'] = process.argv.slice(2);
  if (!path) throw new Error(`Usage: npx tsx ${process.argv[1]} OUT.xml [MEGABYTES]`);
  console.log(`${await write(path, Number(megabytes))} ${what} written to ${path}`);
}
