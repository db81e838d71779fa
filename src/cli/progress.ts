/** A progress bar on standard error, drawn only on a terminal: `articles [#####.....] 2,300/5,000`. */
export function progress(label: string, done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(
    `\r${label.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`,
  );
  if (done === total) process.stderr.write('\n');
}
