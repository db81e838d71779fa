/** A command's refusal: the reason on stderr, exit code 1. */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
