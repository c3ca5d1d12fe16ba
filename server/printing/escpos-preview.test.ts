import { describe, expect, it } from 'vitest';
import { bitmapToPng, previewEscPos } from './escpos-preview';

describe('ESC/POS preview', () => {
  it('lays out text lines, double-size text and raster images top to bottom', () => {
    const bytes = Uint8Array.of(
      0x1b, 0x40, // ESC @
      0x41, 0x0a, // "A" LF
      0x1d, 0x21, 0x11, 0x42, 0x0a, // GS ! 0x11 (double) "B" LF
      0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xff, 0x80, // GS v 0: 8 × 2 dots
    );
    const bitmap = previewEscPos(bytes, 64);
    // One normal line (24 + 6), one double line (48 + 6), two raster rows.
    expect(bitmap.height).toBe(30 + 54 + 2);
    const row = (y: number) => [...bitmap.dots.subarray(y * 64, y * 64 + 8)];
    expect(row(84)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(row(85)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    // The double-size B is about twice as wide as the A.
    const inkWidth = (from: number, to: number) => {
      const xs = new Set<number>();
      for (let y = from; y < to; y++) for (let x = 0; x < 64; x++) if (bitmap.dots[y * 64 + x]) xs.add(x);
      return Math.max(...xs) - Math.min(...xs) + 1;
    };
    expect(inkWidth(30, 84) / inkWidth(0, 30)).toBeGreaterThan(1.6);
  });

  it('writes a PNG', () => {
    const png = bitmapToPng({ width: 8, height: 1, dots: new Uint8Array(8) });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});
