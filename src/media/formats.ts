import { avifSize, isAvif, isAvifSequence } from './avif';

/** The raster formats an upload may be, recognised by their bytes (never by the file's name or declared type). */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/**
 * `width` and `height` are what a decoder draws: the declared canvas, or more where a frame reaches
 * past it. `framePixels` is the area of every frame together (an animation's frames, else the image).
 */
export type ImageHeader =
  | { ok: true; type: ImageType; width: number; height: number; framePixels: number }
  | { ok: false; reason: 'svg' | 'unknown' | 'broken' | 'animatedAvif' };

/** A frame of an animation, where it is drawn on the canvas. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The canvas a decoder ends up with, and every frame's area together. */
export type Size = { width: number; height: number; framePixels?: number };

/** The declared canvas grown to hold every frame, and the frames' total area. */
function drawnSize(width: number, height: number, frames: Frame[]): Size {
  let drawnWidth = width;
  let drawnHeight = height;
  let framePixels = 0;
  for (const frame of frames) {
    if (!(frame.width > 0) || !(frame.height > 0)) throw new Error('an empty frame');
    drawnWidth = Math.max(drawnWidth, frame.left + frame.width);
    drawnHeight = Math.max(drawnHeight, frame.top + frame.height);
    framePixels += frame.width * frame.height;
  }
  return { width: drawnWidth, height: drawnHeight, framePixels: frames.length > 0 ? framePixels : undefined };
}

const ascii = (bytes: Uint8Array, offset: number, length: number) =>
  String.fromCharCode(...bytes.subarray(offset, offset + length));
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/** Reads the header's dimensions only: nothing is decoded, so a decompression bomb costs a few bytes to refuse. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sized = (type: ImageType, read: () => [number, number] | Size | undefined): ImageHeader => {
    let size: Size | undefined;
    try {
      const result = read();
      size = Array.isArray(result) ? { width: result[0], height: result[1] } : result;
    } catch {
      size = undefined;
    }
    if (!size || !(size.width > 0) || !(size.height > 0)) return { ok: false, reason: 'broken' };
    const { width, height } = size;
    return { ok: true, type, width, height, framePixels: size.framePixels ?? width * height };
  };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return sized('image/jpeg', () => jpegSize(bytes, view));
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return sized('image/png', () => pngSize(bytes, view));
  }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    return sized('image/gif', () => gifSize(bytes, view));
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
    return sized('image/webp', () => webpSize(bytes, view));
  if (ascii(bytes, 4, 4) === 'ftyp' && isAvif(view)) {
    if (isAvifSequence(view)) return { ok: false, reason: 'animatedAvif' };
    return sized('image/avif', () => avifSize(view));
  }
  if (
    /^(\uFEFF)?\s*(<\?xml[\s\S]*)?(<!--[\s\S]*-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(ascii(bytes, 0, 1024))
  ) {
    return { ok: false, reason: 'svg' };
  }
  return { ok: false, reason: 'unknown' };
}

/** IHDR's size; an animated PNG's frames (`fcTL`) are walked too, for where and how large each is drawn. */
function pngSize(bytes: Uint8Array, view: DataView): Size | undefined {
  if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  const frames: Frame[] = [];
  for (let offset = 8; offset + 12 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    if (type === 'fcTL') {
      const at = offset + 8;
      frames.push({
        width: view.getUint32(at + 4),
        height: view.getUint32(at + 8),
        left: view.getUint32(at + 12),
        top: view.getUint32(at + 16),
      });
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return drawnSize(view.getUint32(16), view.getUint32(20), frames);
}

/**
 * The logical screen, and every image descriptor in the file: decoders draw each frame where it says,
 * however small the screen claims to be (a 16×16 screen with a 9000×7000 frame decodes to 63 MP).
 */
function gifSize(bytes: Uint8Array, view: DataView): Size | undefined {
  const skipSubBlocks = (start: number) => {
    let offset = start;
    while (offset < bytes.length && bytes[offset] !== 0) offset += bytes[offset]! + 1;
    if (offset >= bytes.length) throw new Error('truncated');
    return offset + 1;
  };
  const colorTable = (flags: number) => (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  const frames: Frame[] = [];
  let offset = 13 + colorTable(bytes[10]!);
  while (offset < bytes.length) {
    const block = bytes[offset]!;
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      offset = skipSubBlocks(offset + 2); // extension: label, then data sub-blocks
    } else if (block === 0x2c) {
      frames.push({
        left: view.getUint16(offset + 1, true),
        top: view.getUint16(offset + 3, true),
        width: view.getUint16(offset + 5, true),
        height: view.getUint16(offset + 7, true),
      });
      // Descriptor, local colour table, LZW minimum code size, image data sub-blocks.
      offset = skipSubBlocks(offset + 10 + colorTable(bytes[offset + 9]!) + 1);
    } else {
      throw new Error('not a GIF block');
    }
  }
  if (frames.length === 0) return undefined;
  return drawnSize(view.getUint16(6, true), view.getUint16(8, true), frames);
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

function webpSize(bytes: Uint8Array, view: DataView): [number, number] | Size | undefined {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ' && startsWith(bytes.subarray(23), [0x9d, 0x01, 0x2a])) {
    return [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff];
  }
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') {
    if (bytes.length < 30) return undefined;
    const uint24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    const frames: Frame[] = [];
    // The chunks after VP8X: each animation frame (ANMF) says where it is drawn and how large; a
    // still image's bitstream (VP8 / VP8L) has its own size, which a decoder believes over the canvas.
    for (let offset = 30; offset + 8 <= bytes.length; ) {
      const type = ascii(bytes, offset, 4);
      const length = view.getUint32(offset + 4, true);
      if (type === 'ANMF') {
        const at = offset + 8;
        frames.push({
          left: uint24(at) * 2,
          top: uint24(at + 3) * 2,
          width: uint24(at + 6) + 1,
          height: uint24(at + 9) + 1,
        });
      } else if (type === 'VP8 ' || type === 'VP8L') {
        const still = webpSize(bytes.subarray(offset - 12), new DataView(bytes.buffer, bytes.byteOffset + offset - 12));
        if (!still || !Array.isArray(still)) throw new Error('a broken bitstream');
        frames.push({ left: 0, top: 0, width: still[0], height: still[1] });
      }
      offset += 8 + length + (length % 2);
    }
    return drawnSize(uint24(24) + 1, uint24(27) + 1, frames);
  }
  return undefined;
}
