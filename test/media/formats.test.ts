import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../src/media/formats';
import { checkImage, MAX_PIXELS, MAX_SIDE, REFUSALS } from '../../src/media/rules';
import { FIXTURES } from './media-helpers';

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

/** Writes bits most significant first, as AV1's f(n) reads them. */
function bitWriter() {
  const bits: number[] = [];
  const write = (value: number, count: number) => {
    for (let i = count - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2);
  };
  const bytes = () =>
    Array.from({ length: Math.ceil(bits.length / 8) }, (_, i) =>
      bits.slice(i * 8, i * 8 + 8).reduce((byte, bit, j) => byte | (bit << (7 - j)), 0),
    );
  return { write, bytes };
}

/**
 * An AV1 sequence header OBU declaring `width × height`: the reduced one a still image may use, or the
 * full one with timing, a decoder model and two operating points (AV1 specification 5.5).
 */
function sequenceHeader(width: number, height: number, reduced: boolean): number[] {
  const { write, bytes } = bitWriter();
  write(0, 3); // seq_profile
  write(reduced ? 1 : 0, 1); // still_picture
  write(reduced ? 1 : 0, 1);
  if (reduced) {
    write(8, 5); // seq_level_idx
  } else {
    write(1, 1); // timing_info_present_flag
    write(1001, 32);
    write(30000, 32);
    write(1, 1); // equal_picture_interval
    write(0b00101, 5); // uvlc: two leading zeros, then 01
    write(1, 1); // decoder_model_info_present_flag
    write(4, 5); // buffer_delay_length_minus_1
    write(90000, 32);
    write(0, 10);
    write(1, 1); // initial_display_delay_present_flag
    write(1, 5); // two operating points
    for (const level of [9, 4]) {
      write(0x103, 12);
      write(level, 5);
      if (level > 7) write(1, 1); // seq_tier
      write(1, 1); // decoder_model_present_for_this_op
      write(0, 2 * 5 + 1);
      write(1, 1);
      write(3, 4);
    }
  }
  const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(n)));
  const [widthBits, heightBits] = [bitsFor(width), bitsFor(height)];
  write(widthBits - 1, 4);
  write(heightBits - 1, 4);
  write(width - 1, widthBits);
  write(height - 1, heightBits);
  const payload = bytes();
  return [0x12, 0x00, 0x0a, payload.length, ...payload]; // a temporal delimiter, then the header
}

const isoBox = (type: string, content: number[]) => [...u32be(8 + content.length), ...text(type), ...content];
const fullBox = (type: string, version: number, content: number[]) => isoBox(type, [version, 0, 0, 0, ...content]);

/** A still AVIF whose `ispe` says one size and whose one AV1 item's sequence header says another. */
function avif(ispe: [number, number], coded: [number, number], reduced = true): Uint8Array {
  const ftyp = isoBox('ftyp', [...text('avif'), 0, 0, 0, 0, ...text('mif1'), ...text('avif')]);
  const bitstream = sequenceHeader(...coded, reduced);
  const meta = (itemOffset: number) =>
    fullBox('meta', 0, [
      ...fullBox('iinf', 0, [0, 1, ...fullBox('infe', 2, [0, 1, 0, 0, ...text('av01'), 0])]),
      ...fullBox('iloc', 0, [0x44, 0x00, 0, 1, 0, 1, 0, 0, 0, 1, ...u32be(itemOffset), ...u32be(bitstream.length)]),
      ...isoBox('iprp', isoBox('ipco', fullBox('ispe', 0, [...u32be(ispe[0]), ...u32be(ispe[1])]))),
    ]);
  const offset = ftyp.length + meta(0).length + 8;
  return new Uint8Array([...ftyp, ...meta(offset), ...isoBox('mdat', bitstream)]);
}

describe('an AVIF whose AV1 bitstream declares more than its container', () => {
  it('is measured by its sequence header: one saying 16×16 in `ispe` that decodes to 9000×7000 is refused', () => {
    for (const reduced of [true, false]) {
      const bytes = avif([16, 16], [9000, 7000], reduced);
      expect(readImageHeader(bytes)).toMatchObject({ ok: true, type: 'image/avif', width: 9000, height: 7000 });
      expect(checkImage(bytes)).toEqual({ ok: false, message: REFUSALS.tooManyPixels });
    }
  });

  it('holds for every pair of sizes, and the real fixture reads as the 800×600 it is', async () => {
    const fixture = new Uint8Array(await (await fetch(FIXTURES.avif)).arrayBuffer());
    expect(readImageHeader(fixture)).toMatchObject({ ok: true, width: 800, height: 600, framePixels: 800 * 600 * 2 });
    const side = fc.integer({ min: 1, max: 16_000 });
    fc.assert(
      fc.property(side, side, side, side, fc.boolean(), (ispeWidth, ispeHeight, width, height, reduced) => {
        const header = readImageHeader(avif([ispeWidth, ispeHeight], [width, height], reduced));
        const drawn = [Math.max(ispeWidth, width), Math.max(ispeHeight, height)] as const;
        expect(header).toMatchObject({ ok: true, width: drawn[0], height: drawn[1], framePixels: width * height });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an AV1 item whose sequence header is missing, and any animated AVIF', () => {
    const bytes = avif([800, 600], [800, 600]);
    const withoutHeader = bytes.slice();
    // The mdat ends with the item's bitstream; its second OBU, the sequence header, becomes a frame OBU.
    withoutHeader[bytes.length - sequenceHeader(800, 600, true).length + 2] = 0x32;
    expect(readImageHeader(withoutHeader)).toEqual({ ok: false, reason: 'broken' });
    const sequence = bytes.slice();
    sequence.set(text('avis'), 8);
    expect(checkImage(sequence)).toEqual({ ok: false, message: REFUSALS.animatedAvif });
  });
});
