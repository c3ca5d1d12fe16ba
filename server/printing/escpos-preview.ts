/**
 * Draws ESC/POS bytes as a PNG, roughly as an 80 mm printer would print them, so a person can
 * look at a kitchen ticket without a printer (`npm run print:preview`). It understands the
 * commands the ticket renderer emits — text with size and bold, raster images, line feeds, the
 * cut — and skips the others; it is a viewer, not a printer emulator to test printers against.
 */
import { deflateSync, crc32 } from 'node:zlib';
import { rasterizeText, type Bitmap } from './text-raster';

const CELL = { width: 12, height: 24 };
const LINE_SPACING = 6;
const GLYPH_WIDTH = 16;
/** cp437's upper half (ESC t 0, the encoder's default for Latin text). */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■ ';

const glyphCache = new Map<string, Bitmap>();

/** One character in a 12 × 24 cell on a common baseline, like the printer's font A. */
function glyph(char: string): Bitmap {
  const cached = glyphCache.get(char);
  if (cached) return cached;
  let bitmap: Bitmap;
  if (char === '─' || char === '═') {
    // Rules: the font has no box-drawing glyphs, and a rule should join up across cells.
    const dots = new Uint8Array(CELL.width * CELL.height);
    const rows = char === '─' ? [12] : [10, 14];
    for (const row of rows) dots.fill(1, row * CELL.width, (row + 1) * CELL.width);
    bitmap = { width: CELL.width, height: CELL.height, dots };
  } else {
    // Drawn wider than the cell and squeezed into it when placed: the font is proportional, and
    // a W or an M would not fit 12 dots at this size.
    bitmap = rasterizeText(char, { sizeDots: 19, widthDots: GLYPH_WIDTH, align: 'center', box: { ascentDots: 19, descentDots: 5 } });
    if (bitmap.height === 0) bitmap = { width: GLYPH_WIDTH, height: CELL.height, dots: new Uint8Array(GLYPH_WIDTH * CELL.height) };
  }
  glyphCache.set(char, bitmap);
  return bitmap;
}

interface Line {
  cells: { char: string; width: number; height: number; isBold: boolean }[];
}

/** Renders the byte stream into rows of dots `widthDots` wide. */
export function previewEscPos(bytes: Uint8Array, widthDots = 576): Bitmap {
  const rows: Uint8Array[] = [];
  let line: Line = { cells: [] };
  let size = { width: 1, height: 1 };
  let isBold = false;

  const blank = (count: number) => {
    for (let i = 0; i < count; i++) rows.push(new Uint8Array(widthDots));
  };
  const flushLine = (isFeed: boolean) => {
    if (line.cells.length === 0) {
      if (isFeed) blank(CELL.height + LINE_SPACING);
      return;
    }
    const height = Math.max(...line.cells.map((c) => c.height)) * CELL.height;
    const band = Array.from({ length: height }, () => new Uint8Array(widthDots));
    let x = 0;
    for (const cell of line.cells) {
      const source = glyph(cell.char);
      const top = height - cell.height * CELL.height;
      for (let y = 0; y < cell.height * CELL.height; y++) {
        for (let dx = 0; dx < cell.width * CELL.width; dx++) {
          const sourceX = Math.floor(((dx / cell.width) * source.width) / CELL.width);
          const on = source.dots[Math.floor(y / cell.height) * source.width + sourceX] === 1;
          const row = band[top + y];
          if (on && row && x + dx < widthDots) {
            row[x + dx] = 1;
            if (cell.isBold && x + dx + 1 < widthDots) row[x + dx + 1] = 1;
          }
        }
      }
      x += cell.width * CELL.width;
    }
    rows.push(...band);
    blank(LINE_SPACING);
    line = { cells: [] };
  };

  for (let i = 0; i < bytes.length; ) {
    const byte = bytes[i] ?? 0;
    const next = bytes[i + 1] ?? 0;
    if (byte === 0x1b) {
      if (next === 0x40) {
        size = { width: 1, height: 1 };
        isBold = false;
        i += 2;
      } else if (next === 0x45) {
        isBold = (bytes[i + 2] ?? 0) !== 0;
        i += 3;
      } else if (next === 0x64) {
        flushLine(false);
        blank((bytes[i + 2] ?? 0) * (CELL.height + LINE_SPACING));
        i += 3;
      } else {
        i += 3; // ESC M n, ESC t n, ESC a n, ESC - n …: one parameter byte
      }
    } else if (byte === 0x1d) {
      if (next === 0x21) {
        const n = bytes[i + 2] ?? 0;
        size = { width: (n >> 4) + 1, height: (n & 0x0f) + 1 };
        i += 3;
      } else if (next === 0x76) {
        flushLine(false);
        const widthBytes = (bytes[i + 4] ?? 0) + 256 * (bytes[i + 5] ?? 0);
        const height = (bytes[i + 6] ?? 0) + 256 * (bytes[i + 7] ?? 0);
        const data = bytes.subarray(i + 8, i + 8 + widthBytes * height);
        for (let y = 0; y < height; y++) {
          const row = new Uint8Array(widthDots);
          for (let x = 0; x < Math.min(widthBytes * 8, widthDots); x++) row[x] = ((data[y * widthBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
          rows.push(row);
        }
        i += 8 + data.length;
      } else if (next === 0x56) {
        flushLine(false);
        blank(8);
        const cut = new Uint8Array(widthDots);
        for (let x = 0; x < widthDots; x++) cut[x] = x % 12 < 6 ? 1 : 0;
        rows.push(cut);
        i += 3;
      } else {
        i += 3;
      }
    } else if (byte === 0x1c) {
      i += 2; // FS . (leave kanji mode)
    } else if (byte === 0x10) {
      i += 3; // DLE EOT n
    } else if (byte === 0x0a) {
      flushLine(true);
      i += 1;
    } else if (byte >= 0x20) {
      const char = byte < 0x80 ? String.fromCharCode(byte) : (CP437_HIGH[byte - 0x80] ?? '?');
      line.cells.push({ char, width: size.width, height: size.height, isBold });
      i += 1;
    } else {
      i += 1; // CR and other controls
    }
  }
  flushLine(false);

  const dots = new Uint8Array(widthDots * rows.length);
  rows.forEach((row, y) => dots.set(row, y * widthDots));
  return { width: widthDots, height: rows.length, dots };
}

/** A grey-scale PNG of a bitmap (black dots on white), with a margin like the paper's edge. */
export function bitmapToPng(bitmap: Bitmap, marginDots = 16): Buffer {
  const width = bitmap.width + 2 * marginDots;
  const height = bitmap.height + 2 * marginDots;
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < bitmap.width; x++) {
      const source = y - marginDots;
      if (source >= 0 && source < bitmap.height && bitmap.dots[source * bitmap.width + x] === 1) raw[y * (width + 1) + 1 + marginDots + x] = 0;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey-scale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
