/**
 * Draws a line of text (Arabic, English or both mixed) into a 1-bit bitmap, so a thermal printer
 * can print it as a raster image (ESC/POS `GS v 0`) whatever glyph tables it has.
 *
 * Why not the printer's own Arabic codepage (cp864 / Windows-1256): many kitchen printers have
 * none, and the ones that do print isolated letter forms unless the sender shapes the text into
 * presentation forms itself — and they never handle right-to-left mixed with numbers. So we do
 * what a browser does, without native code: fontkit (pure JS) shapes the text with the font's
 * OpenType tables (joining forms, lam-alef ligatures, mark positions), bidi-js (pure JS) orders
 * mixed-direction runs by the Unicode bidi algorithm, and a small scanline filler below turns the
 * glyph outlines into dots. The font (Noto Sans Arabic, OFL) comes from an npm package, so the
 * same bytes come out on every machine with no system fonts installed.
 */
import { createRequire } from 'node:module';
import bidiFactory from 'bidi-js';
import * as fontkit from 'fontkit';

/** One byte per dot, row-major: 1 = black (printed), 0 = white. */
export interface Bitmap {
  width: number;
  height: number;
  dots: Uint8Array;
}

export type TextAlign = 'left' | 'right' | 'center';

export interface RasterTextOptions {
  /** The font's em size in dots (203 dpi: 24 dots ≈ the printer's own font A height). */
  sizeDots: number;
  /** The bitmap's width; text that does not fit wraps at spaces. */
  widthDots: number;
  align: TextAlign;
  /** Blank dots between wrapped lines. */
  lineGapDots?: number;
  /**
   * Give every line this fixed box, baseline `ascentDots` from its top, instead of cropping it to
   * its ink: for laying glyphs side by side on a common baseline (the ticket preview does).
   */
  box?: { ascentDots: number; descentDots: number };
}

type Point = readonly [number, number];
type Polygon = Point[];

interface ShapedGlyph {
  path: fontkit.Path;
  /** Pen position in font units, relative to the start of its run. */
  x: number;
  y: number;
}

interface ShapedRun {
  font: fontkit.Font;
  glyphs: ShapedGlyph[];
  /** Advance in font units of this run's font. */
  advance: number;
  level: number;
}

const FONT_PACKAGE = '@fontsource/noto-sans-arabic';
/** Bold: thin strokes of a regular weight break up on a 203 dpi thermal head. */
const FONT_FILES = {
  arabic: 'files/noto-sans-arabic-arabic-700-normal.woff2',
  latin: 'files/noto-sans-arabic-latin-700-normal.woff2',
} as const;

interface Fonts {
  arabic: fontkit.Font;
  latin: fontkit.Font;
}

let fonts: Fonts | null = null;

function openFont(file: string): fontkit.Font {
  const require = createRequire(import.meta.url);
  const path = require.resolve(`${FONT_PACKAGE}/${file}`);
  const opened = fontkit.openSync(path);
  if (!('layout' in opened)) throw new Error(`${file} is a font collection, expected one font`);
  return opened;
}

/** Loaded once per process: decoding a WOFF2 takes tens of milliseconds. */
function loadFonts(): Fonts {
  fonts ??= { arabic: openFont(FONT_FILES.arabic), latin: openFont(FONT_FILES.latin) };
  return fonts;
}

const bidi = bidiFactory();

/** True when the text has a character the printer's own fonts are unlikely to have. */
export function needsRaster(text: string): boolean {
  // Latin, Latin-1 and Latin Extended print through the encoder's codepages; general
  // punctuation (dashes, quotes) too. Anything else (Arabic above all) is drawn.
  return /[^\u0000-\u024f\u2000-\u206f]/u.test(text);
}

function fontFor(codePoint: number, previous: fontkit.Font | null, all: Fonts): fontkit.Font {
  // Spaces and other neutrals stay in the font of their neighbour so a shaping run is not split
  // (the Arabic subset has a space glyph; splitting would lose nothing visible but costs runs).
  if (previous && /[\s\p{P}]/u.test(String.fromCodePoint(codePoint)) && previous.hasGlyphForCodePoint(codePoint)) {
    return previous;
  }
  return all.arabic.hasGlyphForCodePoint(codePoint) && !all.latin.hasGlyphForCodePoint(codePoint) ? all.arabic : all.latin;
}

/**
 * Shapes one line of logical text into runs in visual (left-to-right) order. Each run has one
 * font and one bidi level; fontkit returns an RTL run's glyphs already in visual order.
 */
function shapeLine(text: string, baseDirection: 'ltr' | 'rtl' | 'auto'): ShapedRun[] {
  const all = loadFonts();
  const embedding = bidi.getEmbeddingLevels(text, baseDirection);
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);

  // Split the logical text into runs of one level and one font.
  const pieces: { text: string; level: number; font: fontkit.Font }[] = [];
  let index = 0;
  for (const char of text) {
    const level = embedding.levels[index] ?? 0;
    const shown = mirrored.get(index) ?? char;
    const codePoint = char.codePointAt(0) ?? 0x20;
    const last = pieces[pieces.length - 1];
    const font = fontFor(codePoint, last?.font ?? null, all);
    if (last && last.level === level && last.font === font) last.text += shown;
    else pieces.push({ text: shown, level, font });
    index += char.length;
  }

  const runs: ShapedRun[] = pieces.map((piece) => {
    const direction = piece.level % 2 === 1 ? 'rtl' : 'ltr';
    const layout = piece.font.layout(piece.text, undefined, undefined, undefined, direction);
    const glyphs: ShapedGlyph[] = [];
    let pen = 0;
    layout.glyphs.forEach((glyph, i) => {
      const position = layout.positions[i];
      if (!position) return;
      glyphs.push({ path: glyph.path, x: pen + position.xOffset, y: position.yOffset });
      pen += position.xAdvance;
    });
    return { font: piece.font, glyphs, advance: pen, level: piece.level };
  });

  // Unicode bidi rule L2: from the highest level down to the lowest odd one, reverse every
  // stretch of runs at that level or above.
  const levels = runs.map((r) => r.level);
  const highest = Math.max(0, ...levels);
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level--) {
    for (let start = 0; start < runs.length; ) {
      if ((runs[start]?.level ?? 0) < level) {
        start++;
        continue;
      }
      let end = start;
      while (end + 1 < runs.length && (runs[end + 1]?.level ?? 0) >= level) end++;
      runs.splice(start, end - start + 1, ...runs.slice(start, end + 1).reverse());
      start = end + 1;
    }
  }
  return runs;
}

const scaleOf = (font: fontkit.Font, sizeDots: number) => sizeDots / font.unitsPerEm;

function lineWidthDots(runs: ShapedRun[], sizeDots: number): number {
  return runs.reduce((sum, run) => sum + run.advance * scaleOf(run.font, sizeDots), 0);
}

/**
 * Greedy word wrap on the logical text; each resulting line is shaped on its own. Widths add up
 * word by word: letters never join across a space, so a line is as wide as its words and spaces.
 */
function wrap(text: string, options: RasterTextOptions, direction: 'ltr' | 'rtl' | 'auto'): string[] {
  const words = text.split(/\s+/u).filter((w) => w.length > 0);
  const space = lineWidthDots(shapeLine(' ', direction), options.sizeDots);
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of words) {
    const width = lineWidthDots(shapeLine(word, direction), options.sizeDots);
    if (current !== '' && currentWidth + space + width > options.widthDots) {
      lines.push(current);
      current = word;
      currentWidth = width;
    } else if (current === '') {
      current = word;
      currentWidth = width;
    } else {
      current = `${current} ${word}`;
      currentWidth += space + width;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** Curves become short straight segments; at 20–40 dot glyphs eight steps are smooth enough. */
const CURVE_STEPS = 8;

function outlinePolygons(path: fontkit.Path, toDots: (x: number, y: number) => Point): Polygon[] {
  const polygons: Polygon[] = [];
  let current: Polygon = [];
  let cursor: Point = [0, 0];
  let start: Point = [0, 0];
  const close = () => {
    if (current.length > 2) polygons.push(current);
    current = [];
  };
  for (const { command, args } of path.commands) {
    const a = (i: number) => args[i] ?? 0;
    switch (command) {
      case 'moveTo':
        close();
        cursor = [a(0), a(1)];
        start = cursor;
        current.push(toDots(...cursor));
        break;
      case 'lineTo':
        cursor = [a(0), a(1)];
        current.push(toDots(...cursor));
        break;
      case 'quadraticCurveTo': {
        const [x0, y0] = cursor;
        for (let s = 1; s <= CURVE_STEPS; s++) {
          const t = s / CURVE_STEPS;
          const u = 1 - t;
          current.push(toDots(u * u * x0 + 2 * u * t * a(0) + t * t * a(2), u * u * y0 + 2 * u * t * a(1) + t * t * a(3)));
        }
        cursor = [a(2), a(3)];
        break;
      }
      case 'bezierCurveTo': {
        const [x0, y0] = cursor;
        for (let s = 1; s <= CURVE_STEPS; s++) {
          const t = s / CURVE_STEPS;
          const u = 1 - t;
          const x = u * u * u * x0 + 3 * u * u * t * a(0) + 3 * u * t * t * a(2) + t * t * t * a(4);
          const y = u * u * u * y0 + 3 * u * u * t * a(1) + 3 * u * t * t * a(3) + t * t * t * a(5);
          current.push(toDots(x, y));
        }
        cursor = [a(4), a(5)];
        break;
      }
      case 'closePath':
        cursor = start;
        close();
        break;
    }
  }
  close();
  return polygons;
}

/** Sub-rows per dot row: enough to keep thin horizontal strokes without a slow filler. */
const SUBSAMPLES = 4;
/** Share of a dot that must be covered to print it. Slightly under half keeps strokes whole. */
const COVERAGE_THRESHOLD = 0.45;

/**
 * Fills polygons with the non-zero winding rule (font outlines rely on it) into a bitmap:
 * SUBSAMPLES scanlines per row, exact horizontal coverage, then a threshold.
 */
function fill(polygons: Polygon[], width: number, height: number): Uint8Array {
  const dots = new Uint8Array(width * height);
  const coverage = new Float32Array(width);
  const edges: { x0: number; y0: number; x1: number; y1: number; winding: number }[] = [];
  for (const polygon of polygons) {
    for (let i = 0; i < polygon.length; i++) {
      const p = polygon[i];
      const q = polygon[(i + 1) % polygon.length];
      if (!p || !q || p[1] === q[1]) continue;
      edges.push(p[1] < q[1] ? { x0: p[0], y0: p[1], x1: q[0], y1: q[1], winding: 1 } : { x0: q[0], y0: q[1], x1: p[0], y1: p[1], winding: -1 });
    }
  }
  const crossings: { x: number; winding: number }[] = [];
  for (let row = 0; row < height; row++) {
    coverage.fill(0);
    for (let sub = 0; sub < SUBSAMPLES; sub++) {
      const y = row + (sub + 0.5) / SUBSAMPLES;
      crossings.length = 0;
      for (const e of edges) {
        if (y < e.y0 || y >= e.y1) continue;
        crossings.push({ x: e.x0 + ((y - e.y0) / (e.y1 - e.y0)) * (e.x1 - e.x0), winding: e.winding });
      }
      crossings.sort((m, n) => m.x - n.x);
      let winding = 0;
      for (let i = 0; i < crossings.length; i++) {
        const crossing = crossings[i];
        const next = crossings[i + 1];
        if (!crossing) break;
        winding += crossing.winding;
        if (winding === 0 || !next) continue;
        const from = Math.max(0, crossing.x);
        const to = Math.min(width, next.x);
        for (let x = Math.floor(from); x < to; x++) {
          const overlap = Math.min(x + 1, to) - Math.max(x, from);
          if (overlap > 0) coverage[x] = (coverage[x] ?? 0) + overlap / SUBSAMPLES;
        }
      }
    }
    for (let x = 0; x < width; x++) if ((coverage[x] ?? 0) >= COVERAGE_THRESHOLD) dots[row * width + x] = 1;
  }
  return dots;
}

/**
 * Renders text into a bitmap `widthDots` wide, wrapped at spaces, aligned as asked, cropped
 * vertically to the ink (plus a few dots of margin) so tickets stay short.
 */
export function rasterizeText(text: string, options: RasterTextOptions): Bitmap {
  const direction = 'auto';
  const gap = options.lineGapDots ?? Math.round(options.sizeDots / 6);
  const lines = wrap(text.trim(), options, direction);
  const polygonsByLine: { polygons: Polygon[]; top: number; bottom: number }[] = [];

  for (const line of lines) {
    const runs = shapeLine(line, direction);
    const lineWidth = lineWidthDots(runs, options.sizeDots);
    let penDots =
      options.align === 'left' ? 0 : options.align === 'right' ? options.widthDots - lineWidth : (options.widthDots - lineWidth) / 2;
    penDots = Math.max(0, penDots);
    const polygons: Polygon[] = [];
    for (const run of runs) {
      const scale = scaleOf(run.font, options.sizeDots);
      for (const glyph of run.glyphs) {
        const originX = penDots + glyph.x * scale;
        const originY = glyph.y * scale;
        // Font units grow upwards; the bitmap's rows grow downwards from the baseline at 0.
        polygons.push(...outlinePolygons(glyph.path, (x, y) => [originX + x * scale, -(originY + y * scale)]));
      }
      penDots += run.advance * scale;
    }
    if (options.box) {
      polygonsByLine.push({ polygons, top: -options.box.ascentDots, bottom: options.box.descentDots });
      continue;
    }
    const ys = polygons.flatMap((p) => p.map(([, y]) => y));
    if (ys.length === 0) continue;
    // A few blank rows each side keep a raster from touching the text or rule beside it.
    polygonsByLine.push({ polygons, top: Math.floor(Math.min(...ys)) - 3, bottom: Math.ceil(Math.max(...ys)) + 3 });
  }

  if (polygonsByLine.length === 0) return { width: options.widthDots, height: 0, dots: new Uint8Array(0) };

  const shifted: Polygon[] = [];
  let offset = 0;
  polygonsByLine.forEach((line, i) => {
    if (i > 0) offset += gap;
    const dy = offset - line.top;
    for (const polygon of line.polygons) shifted.push(polygon.map(([x, y]) => [x, y + dy] as const));
    offset += line.bottom - line.top;
  });
  const height = Math.ceil(offset);
  return { width: options.widthDots, height, dots: fill(shifted, options.widthDots, height) };
}

/** RGBA pixels (black on white) in the `{ data, width, height }` shape image encoders take. */
export function bitmapToRgba(bitmap: Bitmap): { data: Uint8ClampedArray; width: number; height: number } {
  const data = new Uint8ClampedArray(bitmap.width * bitmap.height * 4);
  for (let i = 0; i < bitmap.dots.length; i++) {
    const shade = bitmap.dots[i] === 1 ? 0 : 255;
    data[i * 4] = shade;
    data[i * 4 + 1] = shade;
    data[i * 4 + 2] = shade;
    data[i * 4 + 3] = 255;
  }
  return { data, width: bitmap.width, height: bitmap.height };
}

/** Second bytes that make a preceding DLE (0x10) a real-time command: EOT, ENQ, DC4. */
const REALTIME_SECOND_BYTES = new Set([0x04, 0x05, 0x14]);

/**
 * Printers act on real-time commands (`DLE EOT`, `DLE ENQ`, `DLE DC4`) the moment they receive
 * them, even inside image data. A raster that happens to contain those byte pairs would make the
 * printer answer a status request nobody sent (confusing the gateway's confirmation) or even
 * clear its buffer. This clears the one dot that makes such a DLE byte (0x10 → 0x00): invisible
 * on paper, and it cannot create a new pair. Assumes the `GS v 0` packing: rows of `width / 8`
 * bytes, most significant bit leftmost, 1 = black, rows back to back.
 */
export function clearRealtimeSequences(bitmap: Bitmap): Bitmap {
  if (bitmap.width % 8 !== 0) throw new Error('raster width must be a multiple of 8 dots');
  const bytesPerRow = bitmap.width / 8;
  const dots = bitmap.dots.slice();
  const packed = (index: number): number => {
    const row = Math.floor(index / bytesPerRow);
    const x = (index % bytesPerRow) * 8;
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) byte |= (dots[row * bitmap.width + x + bit] ?? 0) << (7 - bit);
    return byte;
  };
  const total = bytesPerRow * bitmap.height;
  for (let i = 0; i + 1 < total; i++) {
    if (packed(i) === 0x10 && REALTIME_SECOND_BYTES.has(packed(i + 1))) {
      const row = Math.floor(i / bytesPerRow);
      dots[row * bitmap.width + (i % bytesPerRow) * 8 + 3] = 0;
    }
  }
  return { ...bitmap, dots };
}
