import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/media/formats';
import { checkImage, MAX_PIXELS, MAX_SIDE, REFUSALS } from '../../src/media/rules';

/** A frame as an animation or a still file declares it: where it is drawn on the canvas, how large. */
interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const u32le = (n: number) => [...u16le(n & 0xffff), ...u16le(n >>> 16)];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const text = (s: string) => [...s].map((char) => char.charCodeAt(0));

/** A GIF89a: a logical screen, then one image descriptor per frame with a token of image data. */
function gif(width: number, height: number, frames: Frame[]): Uint8Array {
  const body = frames.flatMap((frame) => [
    0x2c,
    ...u16le(frame.left),
    ...u16le(frame.top),
    ...u16le(frame.width),
    ...u16le(frame.height),
    0x00, // no local colour table
    0x02, // LZW minimum code size
    0x01,
    0x00,
    0x00, // one data sub-block, then the terminator
  ]);
  const extension = [0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00]; // a graphic control extension
  return new Uint8Array([...text('GIF89a'), ...u16le(width), ...u16le(height), 0, 0, 0, ...extension, ...body, 0x3b]);
}

const pngChunk = (type: string, data: number[]) => [...u32be(data.length), ...text(type), ...data, 0, 0, 0, 0];

/** An animated PNG: IHDR's canvas, one fcTL per frame. */
function apng(width: number, height: number, frames: Frame[]): Uint8Array {
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...pngChunk('IHDR', [...u32be(width), ...u32be(height), 8, 6, 0, 0, 0]),
    ...pngChunk('acTL', [...u32be(frames.length), ...u32be(0)]),
    ...frames.flatMap((frame, i) =>
      pngChunk('fcTL', [
        ...u32be(i),
        ...u32be(frame.width),
        ...u32be(frame.height),
        ...u32be(frame.left),
        ...u32be(frame.top),
        0,
        1,
        0,
        10,
        0,
        0,
      ]),
    ),
    ...pngChunk('IEND', []),
  ]);
}

const riff = (chunks: number[]) =>
  new Uint8Array([...text('RIFF'), ...u32le(chunks.length + 4), ...text('WEBP'), ...chunks]);
const vp8x = (width: number, height: number) => [
  ...text('VP8X'),
  ...u32le(10),
  0x02,
  0,
  0,
  0,
  ...u24le(width - 1),
  ...u24le(height - 1),
];

/** An animated WebP: the VP8X canvas, one ANMF per frame (offsets are stored halved). */
function animatedWebp(width: number, height: number, frames: Frame[]): Uint8Array {
  return riff([
    ...vp8x(width, height),
    ...frames.flatMap((frame) => [
      ...text('ANMF'),
      ...u32le(16),
      ...u24le(frame.left / 2),
      ...u24le(frame.top / 2),
      ...u24le(frame.width - 1),
      ...u24le(frame.height - 1),
      ...u24le(100),
      0,
    ]),
  ]);
}

/** A still WebP whose VP8X canvas says one size and whose lossless bitstream says another. */
function stillWebp(width: number, height: number, [frame]: Frame[]): Uint8Array {
  const bits = (frame!.width - 1) | ((frame!.height - 1) << 14);
  return riff([...vp8x(width, height), ...text('VP8L'), ...u32le(5), 0x2f, ...u32le(bits), 0]);
}

const FORMATS = { gif, apng, animatedWebp } as const;

describe('an image whose frames reach past its declared canvas', () => {
  it.each([
    ['GIF', gif(16, 16, [{ left: 0, top: 0, width: 9000, height: 7000 }])],
    ['animated PNG', apng(16, 16, [{ left: 0, top: 0, width: 9000, height: 7000 }])],
    ['animated WebP', animatedWebp(16, 16, [{ left: 0, top: 0, width: 9000, height: 7000 }])],
    ['still WebP', stillWebp(16, 16, [{ left: 0, top: 0, width: 9000, height: 7000 }])],
  ])(
    'is measured by its frames, not its canvas: a %s saying 16×16 that decodes to 9000×7000 is refused',
    (_, bytes) => {
      expect(readImageHeader(bytes)).toMatchObject({ ok: true, width: 9000, height: 7000 });
      expect(checkImage(bytes)).toEqual({ ok: false, message: REFUSALS.tooManyPixels });
    },
  );

  it('refuses an animation whose frames together pass the limit, each of them small', () => {
    const frames = Array.from({ length: 200 }, () => ({ left: 0, top: 0, width: 600, height: 500 }));
    for (const build of Object.values(FORMATS)) {
      expect(checkImage(build(600, 500, frames))).toEqual({ ok: false, message: REFUSALS.tooManyPixels });
      expect(checkImage(build(600, 500, frames.slice(0, 100)))).toMatchObject({ ok: true, width: 600, height: 500 });
    }
  });

  it('holds for every canvas and frames: the size is what a decoder draws, refused exactly when past the limits', () => {
    const frame = fc.record({
      left: fc.integer({ min: 0, max: 6000 }).map((n) => n * 2),
      top: fc.integer({ min: 0, max: 6000 }).map((n) => n * 2),
      width: fc.integer({ min: 1, max: 16_000 }),
      height: fc.integer({ min: 1, max: 16_000 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(FORMATS) as (keyof typeof FORMATS)[])),
        fc.integer({ min: 1, max: 16_000 }),
        fc.integer({ min: 1, max: 16_000 }),
        fc.array(frame, { minLength: 1, maxLength: 6 }),
        (format, width, height, frames) => {
          const bytes = FORMATS[format](width, height, frames);
          const drawnWidth = Math.max(width, ...frames.map((f) => f.left + f.width));
          const drawnHeight = Math.max(height, ...frames.map((f) => f.top + f.height));
          const framePixels = frames.reduce((sum, f) => sum + f.width * f.height, 0);
          expect(readImageHeader(bytes)).toMatchObject({
            ok: true,
            width: drawnWidth,
            height: drawnHeight,
            framePixels,
          });
          const within =
            drawnWidth * drawnHeight <= MAX_PIXELS &&
            framePixels <= MAX_PIXELS &&
            Math.max(drawnWidth, drawnHeight) <= MAX_SIDE;
          expect(checkImage(bytes).ok).toBe(within);
        },
      ),
      { numRuns: 500 },
    );
  });
});
