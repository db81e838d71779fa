/**
 * A move in an ordered list (the navigation's sections or pages): `ids` with `id` swapped with its
 * neighbour before (`up`) or after (`down`); `ids` itself when it is already first or last; undefined
 * when `id` is not in it.
 */
export function movedInOrder(ids: number[], id: number, direction: 'up' | 'down'): number[] | undefined {
  const from = ids.indexOf(id);
  if (from < 0) return undefined;
  const to = direction === 'up' ? from - 1 : from + 1;
  if (to < 0 || to >= ids.length) return ids;
  const moved = [...ids];
  [moved[from], moved[to]] = [moved[to]!, moved[from]!];
  return moved;
}
