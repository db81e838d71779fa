/** "casino, payday loan" → ["casino", "payday loan"] */
export function parseWordList(list: string): string[] {
  return list
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
}
