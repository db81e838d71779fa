import type { Size } from './formats';

/**
 * AVIF is an ISO BMFF container around AV1 bitstreams. The container's `ispe` says a size, but the
 * decoder allocates what each AV1 sequence header says, so every coded item's own sequence header is
 * read as well (from the item's bytes, found through `iloc`), and the image is measured by the larger.
 */

const fourCc = (view: DataView, offset: number) =>
  String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + offset, 4));

/** The boxes directly inside [start, end) of an ISO BMFF file, as [type, content start, end]. */
function* boxes(view: DataView, start: number, end: number): Generator<[string, number, number]> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = view.getUint32(offset);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) return;
    yield [fourCc(view, offset + 4), offset + header, offset + size];
    offset += size;
  }
}

const find = (view: DataView, type: string, start: number, end: number) =>
  [...boxes(view, start, end)].find(([t]) => t === type);

function brands(view: DataView): string[] {
  const end = Math.min(view.getUint32(0), view.byteLength);
  const found: string[] = [];
  // The major brand at 8, the minor version at 12, compatible brands from 16.
  for (let offset = 8; offset + 4 <= end; offset += 4) if (offset !== 12) found.push(fourCc(view, offset));
  return found;
}

export const isAvif = (view: DataView) => brands(view).some((brand) => brand === 'avif' || brand === 'avis');

/**
 * An image sequence (animated AVIF): refused, since its frames are samples of a track that may each carry
 * a sequence header of their own; animations are accepted as GIF, APNG or WebP.
 */
export const isAvifSequence = (view: DataView) =>
  brands(view).includes('avis') || find(view, 'moov', 0, view.byteLength) !== undefined;

/** Reads bits most significant first, as the AV1 specification's f(n) and uvlc() do. */
class Bits {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.bytes[this.position >> 3];
      if (byte === undefined) throw new Error('a sequence header cut short');
      value = value * 2 + ((byte >> (7 - (this.position & 7))) & 1);
      this.position++;
    }
    return value;
  }
  uvlc(): number {
    let leadingZeros = 0;
    while (this.read(1) === 0) if (++leadingZeros >= 32) throw new Error('an overlong uvlc');
    return this.read(leadingZeros) + 2 ** leadingZeros - 1;
  }
}

/** max_frame_width and max_frame_height of an AV1 sequence header OBU's payload (AV1 spec 5.5). */
function sequenceHeaderSize(payload: Uint8Array): [number, number] {
  const bits = new Bits(payload);
  bits.read(3); // seq_profile
  bits.read(1); // still_picture
  const reduced = bits.read(1);
  if (reduced) {
    bits.read(5); // seq_level_idx[0]
  } else {
    let decoderModelInfo = 0;
    let bufferDelayLength = 0;
    if (bits.read(1)) {
      bits.read(32); // num_units_in_display_tick
      bits.read(32); // time_scale
      if (bits.read(1)) bits.uvlc(); // num_ticks_per_picture_minus_1
      decoderModelInfo = bits.read(1);
      if (decoderModelInfo) {
        bufferDelayLength = bits.read(5) + 1;
        bits.read(32); // num_units_in_decoding_tick
        bits.read(10); // buffer_removal_time_length_minus_1, frame_presentation_time_length_minus_1
      }
    }
    const initialDisplayDelay = bits.read(1);
    const operatingPoints = bits.read(5) + 1;
    for (let i = 0; i < operatingPoints; i++) {
      bits.read(12); // operating_point_idc
      if (bits.read(5) > 7) bits.read(1); // seq_level_idx, seq_tier
      if (decoderModelInfo && bits.read(1)) bits.read(2 * bufferDelayLength + 1);
      if (initialDisplayDelay && bits.read(1)) bits.read(4);
    }
  }
  const widthBits = bits.read(4) + 1;
  const heightBits = bits.read(4) + 1;
  return [bits.read(widthBits) + 1, bits.read(heightBits) + 1];
}

/** The frame size the first sequence header OBU in an AV1 bitstream declares, if it has one. */
function bitstreamSize(bytes: Uint8Array): [number, number] | undefined {
  let offset = 0;
  while (offset < bytes.length) {
    const header = bytes[offset]!;
    const type = (header >> 3) & 0xf;
    offset += header & 0x04 ? 2 : 1; // obu_extension_flag
    if (!(header & 0x02)) return undefined; // no obu_size: the rest is one OBU, not one AVIF writes
    let size = 0;
    for (let i = 0; i < 8; i++) {
      const byte = bytes[offset++];
      if (byte === undefined) return undefined;
      size += (byte & 0x7f) * 2 ** (7 * i);
      if (!(byte & 0x80)) break;
    }
    if (type === 1) return sequenceHeaderSize(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return undefined;
}

/** Every item's first extent, as [item id, bytes] (iloc, ISO/IEC 14496-12 8.11.3); construction methods 0 and 1. */
function itemData(view: DataView, iloc: [string, number, number], idat: [string, number, number] | undefined) {
  const [, start, end] = iloc;
  const version = view.getUint8(start);
  let offset = start + 4;
  const sizes = view.getUint16(offset);
  offset += 2;
  const [offsetSize, lengthSize, baseOffsetSize] = [sizes >> 12, (sizes >> 8) & 0xf, (sizes >> 4) & 0xf];
  const indexSize = version === 1 || version === 2 ? sizes & 0xf : 0;
  const read = (size: number) => {
    if (offset + size > end) throw new Error('an iloc cut short');
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + view.getUint8(offset + i);
    offset += size;
    return value;
  };
  const items = new Map<number, Uint8Array>();
  const count = read(version === 2 ? 4 : 2);
  for (let n = 0; n < count; n++) {
    const id = read(version === 2 ? 4 : 2);
    const method = version === 1 || version === 2 ? read(2) & 0xf : 0;
    read(2); // data_reference_index
    const base = read(baseOffsetSize);
    const extents = read(2);
    for (let e = 0; e < extents; e++) {
      read(indexSize);
      const at = base + read(offsetSize);
      const length = read(lengthSize);
      if (e > 0) continue;
      const origin = method === 0 ? 0 : method === 1 && idat ? idat[1] : Number.NaN;
      const from = origin + at;
      const to = length === 0 ? view.byteLength : from + length;
      if (!(from >= 0 && to <= view.byteLength && from <= to)) throw new Error('an item outside the file');
      items.set(id, new Uint8Array(view.buffer, view.byteOffset + from, to - from));
    }
  }
  return items;
}

/** The ids of the AV1-coded items (iinf's infe entries of type av01, versions 2 and 3). */
function av1Items(view: DataView, iinf: [string, number, number]): number[] {
  const [, start, end] = iinf;
  const entriesAt = start + 4 + (view.getUint8(start) === 0 ? 2 : 4);
  const ids: number[] = [];
  for (const [type, at] of boxes(view, entriesAt, end)) {
    if (type !== 'infe') continue;
    const version = view.getUint8(at);
    if (version < 2) continue;
    const id = version === 2 ? view.getUint16(at + 4) : view.getUint32(at + 4);
    const itemType = fourCc(view, at + (version === 2 ? 8 : 10));
    if (itemType === 'av01') ids.push(id);
  }
  return ids;
}

/**
 * The size the decoder draws: the largest of every `ispe` and every AV1 item's sequence header; the
 * frames' area is every AV1 item's together (colour, alpha, a grid's tiles). An AV1 item without a
 * readable sequence header is refused (undefined), for its size could not be known before decoding.
 */
export function avifSize(view: DataView): Size | undefined {
  const meta = find(view, 'meta', 0, view.byteLength);
  if (!meta) return undefined;
  // `meta` is a full box: 4 bytes of version and flags before its children.
  const inMeta = (type: string) => find(view, type, meta[1] + 4, meta[2]);
  const iprp = inMeta('iprp');
  const ipco = iprp && find(view, 'ipco', iprp[1], iprp[2]);
  const iloc = inMeta('iloc');
  const iinf = inMeta('iinf');
  if (!ipco || !iloc || !iinf) return undefined;
  let width = 0;
  let height = 0;
  for (const [type, start] of boxes(view, ipco[1], ipco[2])) {
    if (type !== 'ispe') continue;
    width = Math.max(width, view.getUint32(start + 4));
    height = Math.max(height, view.getUint32(start + 8));
  }
  const data = itemData(view, iloc, inMeta('idat'));
  let framePixels = 0;
  for (const id of av1Items(view, iinf)) {
    const bytes = data.get(id);
    const size = bytes && bitstreamSize(bytes);
    if (!size) return undefined;
    width = Math.max(width, size[0]);
    height = Math.max(height, size[1]);
    framePixels += size[0] * size[1];
  }
  return framePixels > 0 ? { width, height, framePixels } : undefined;
}
