/** A reader of an export that comes in pieces (a file's chunks): each piece's finished items as it is written, the rest at the end. */
export interface PieceReader<Item, Whole> {
  write(piece: string): Item[];
  end(): Whole;
}

/**
 * Reads `pieces` through `reader`, handing each piece's finished items to `onItems` (let go once it
 * returns), then the last ones, which `lastItems` finds in what `end` gives; returns that.
 */
export async function readPieces<Item, Whole>(
  pieces: AsyncIterable<string> | Iterable<string>,
  reader: PieceReader<Item, Whole>,
  lastItems: (whole: Whole) => Item[],
  onItems: (items: Item[]) => void | Promise<void>,
): Promise<Whole> {
  for await (const piece of pieces) await onItems(reader.write(piece));
  const whole = reader.end();
  await onItems(lastItems(whole));
  return whole;
}
