/** The raster formats an upload may be, recognised by their bytes (never by the file's name or declared type). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export type ImageHeader =
  | { ok: true; type: ImageType; width: number; height: number }
  | { ok: false; reason: 'svg' | 'unknown' | 'broken' };

const ascii = (bytes: Uint8Array, offset: number, length: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/** Reads the header's dimensions only: nothing is decoded, so a decompression bomb costs a few bytes to refuse. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sized = (type: ImageType, read: () => [number, number] | undefined): ImageHeader => {
    let size: [number, number] | undefined;
    try {
      size = read();
    } catch {
      size = undefined;
    }
    if (!size || !(size[0] > 0) || !(size[1] > 0)) return { ok: false, reason: 'broken' };
    return { ok: true, type, width: size[0], height: size[1] };
  };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sized('image/jpeg', () => jpegSize(bytes, view));
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return sized('image/png', () =>
      ascii(bytes, 12, 4) === 'IHDR' ? [view.getUint32(16), view.getUint32(20)] : undefined,
    );
  }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    return sized('image/gif', () => [view.getUint16(6, true), view.getUint16(8, true)]);
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
    return sized('image/webp', () => webpSize(bytes, view));
  if (ascii(bytes, 4, 4) === 'ftyp' && isAvifBrand(bytes, view))
    return sized('image/avif', () => avifSize(bytes, view));
  if (
    /^(\uFEFF)?\s*(<\?xml[\s\S]*)?(<!--[\s\S]*-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(ascii(bytes, 0, 1024))
  ) {
    return { ok: false, reason: 'svg' };
  }
  return { ok: false, reason: 'unknown' };
}

/** Walks the JPEG segments up to the first start-of-frame marker, which carries the height and width. */
function jpegSize(bytes: Uint8Array, view: DataView): [number, number] | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = view.getUint16(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return [view.getUint16(offset + 7), view.getUint16(offset + 5)];
    offset += 2 + length;
  }
  return undefined;
}

function webpSize(bytes: Uint8Array, view: DataView): [number, number] | undefined {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ' && startsWith(bytes.subarray(23), [0x9d, 0x01, 0x2a])) {
    return [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff];
  }
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') {
    const width = (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16)) + 1;
    const height = (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16)) + 1;
    return bytes.length >= 30 ? [width, height] : undefined;
  }
  return undefined;
}

function isAvifBrand(bytes: Uint8Array, view: DataView): boolean {
  const end = Math.min(view.getUint32(0), bytes.length);
  for (let offset = 8; offset + 4 <= end; offset += 4) {
    if (offset === 12) continue; // the minor version, not a brand
    const brand = ascii(bytes, offset, 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

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
    const type = String.fromCharCode(
      view.getUint8(offset + 4),
      view.getUint8(offset + 5),
      view.getUint8(offset + 6),
      view.getUint8(offset + 7),
    );
    yield [type, offset + header, offset + size];
    offset += size;
  }
}

/** The largest image spatial extent (`ispe`) in meta → iprp → ipco: the primary image's size. */
function avifSize(bytes: Uint8Array, view: DataView): [number, number] | undefined {
  const find = (type: string, start: number, end: number) => [...boxes(view, start, end)].find(([t]) => t === type);
  const meta = find('meta', 0, bytes.length);
  // `meta` is a full box: 4 bytes of version and flags before its children.
  const iprp = meta && find('iprp', meta[1] + 4, meta[2]);
  const ipco = iprp && find('ipco', iprp[1], iprp[2]);
  if (!ipco) return undefined;
  let best: [number, number] | undefined;
  for (const [type, start] of boxes(view, ipco[1], ipco[2])) {
    if (type !== 'ispe') continue;
    const size: [number, number] = [view.getUint32(start + 4), view.getUint32(start + 8)];
    if (!best || size[0] * size[1] > best[0] * best[1]) best = size;
  }
  return best;
}
