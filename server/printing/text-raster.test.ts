import { describe, expect, it } from 'vitest';
import { bitmapToRgba, clearRealtimeSequences, needsRaster, rasterizeText, type Bitmap } from './text-raster';

const inkColumns = (bitmap: Bitmap): number[] => {
  const columns = new Set<number>();
  bitmap.dots.forEach((dot, i) => {
    if (dot === 1) columns.add(i % bitmap.width);
  });
  return [...columns].sort((a, b) => a - b);
};
const inkCount = (bitmap: Bitmap) => bitmap.dots.reduce((sum, dot) => sum + dot, 0);

describe('text raster', () => {
  it('leaves Latin text to the printer and draws Arabic', () => {
    expect(needsRaster('2 x Koshari')).toBe(false);
    expect(needsRaster('Macaroni Béchamel')).toBe(false);
    expect(needsRaster('كشري')).toBe(true);
    expect(needsRaster('Koshari كشري')).toBe(true);
  });

  it('[PRN-07] draws shaped Arabic with ink, cropped to the text height, aligned right', () => {
    const bitmap = rasterizeText('كشري بالصلصة', { sizeDots: 30, widthDots: 576, align: 'right' });
    expect(bitmap.width).toBe(576);
    expect(bitmap.height).toBeGreaterThan(15);
    expect(bitmap.height).toBeLessThan(60);
    expect(inkCount(bitmap)).toBeGreaterThan(300);
    const columns = inkColumns(bitmap);
    expect(columns.at(-1)).toBeGreaterThan(560);
    expect(columns[0]).toBeGreaterThan(300);
  });

  it('aligns left and centre as asked', () => {
    const left = inkColumns(rasterizeText('حمص', { sizeDots: 30, widthDots: 576, align: 'left' }));
    const centre = inkColumns(rasterizeText('حمص', { sizeDots: 30, widthDots: 576, align: 'center' }));
    expect(left[0]).toBeLessThan(10);
    expect(Math.abs(((centre[0] ?? 0) + (centre.at(-1) ?? 0)) / 2 - 288)).toBeLessThan(12);
  });

  it('[PRN-07] joins Arabic letters: a word is narrower shaped than its letters apart', () => {
    const joined = inkColumns(rasterizeText('كشري', { sizeDots: 30, widthDots: 576, align: 'left' }));
    const apart = inkColumns(rasterizeText('ك ش ر ي', { sizeDots: 30, widthDots: 576, align: 'left' }));
    expect((joined.at(-1) ?? 0) - (joined[0] ?? 0)).toBeLessThan((apart.at(-1) ?? 0) - (apart[0] ?? 0));
  });

  it('[PRN-07] keeps numbers left to right inside Arabic (bidi): "330" is not drawn as "033"', () => {
    // The same digits drawn alone and inside an RTL sentence must produce the same glyph columns.
    const alone = rasterizeText('330', { sizeDots: 30, widthDots: 96, align: 'left' });
    const inside = rasterizeText('بيبسي 330', { sizeDots: 30, widthDots: 576, align: 'left' });
    const aloneInk = inkColumns(alone);
    const width = (aloneInk.at(-1) ?? 0) - (aloneInk[0] ?? 0) + 1;
    // In an RTL paragraph the number sits at the left, before the Arabic word.
    const insideInk = inkColumns(inside);
    const start = insideInk[0] ?? 0;
    const column = (b: Bitmap, x: number) => Array.from({ length: b.height }, (_, y) => b.dots[y * b.width + x]).filter((d) => d === 1).length;
    const aloneProfile = Array.from({ length: width }, (_, i) => column(alone, (aloneInk[0] ?? 0) + i));
    const insideProfile = Array.from({ length: width }, (_, i) => column(inside, start + i));
    expect(insideProfile).toEqual(aloneProfile);
  });

  it('wraps long text onto more lines instead of cutting it', () => {
    const one = rasterizeText('بدون بصل', { sizeDots: 30, widthDots: 576, align: 'right' });
    const long = rasterizeText('بدون بصل وزيادة ليمون والصلصة على جنب من فضلك يا شيف بسرعة لأن الزبون مستعجل جدا', {
      sizeDots: 30,
      widthDots: 576,
      align: 'right',
    });
    expect(long.height).toBeGreaterThan(one.height * 1.8);
  });

  it('gives an empty bitmap for blank text', () => {
    expect(rasterizeText('   ', { sizeDots: 30, widthDots: 576, align: 'left' }).height).toBe(0);
  });

  it('converts to black-on-white RGBA', () => {
    const rgba = bitmapToRgba({ width: 2, height: 1, dots: Uint8Array.of(1, 0) });
    expect([...rgba.data]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('clears the dot that would make image bytes a real-time command (DLE EOT / ENQ / DC4)', () => {
    // Row of 16 dots = bytes 0x10 0x04: bit 4 of the first byte, bit 2 of the second.
    const dots = new Uint8Array(16);
    dots[3] = 1;
    dots[8 + 5] = 1;
    const cleared = clearRealtimeSequences({ width: 16, height: 1, dots });
    expect(cleared.dots[3]).toBe(0);
    expect(cleared.dots[13]).toBe(1);
    // A 0x10 that is not followed by a real-time second byte is left alone.
    const harmless = new Uint8Array(16);
    harmless[3] = 1;
    expect(clearRealtimeSequences({ width: 16, height: 1, dots: harmless }).dots[3]).toBe(1);
  });
});
