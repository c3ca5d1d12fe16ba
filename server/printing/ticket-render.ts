/**
 * Turns one station's kitchen ticket into ESC/POS bytes for an 80 mm printer (48 columns of
 * font A, 576 dots). English goes through the printer's own font, which is crisp and fast;
 * anything the printer's codepages cannot be trusted with (Arabic above all) is drawn into a
 * raster image by `text-raster.ts`. Every line is printed in English and in Arabic so either
 * cook can read it.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { bitmapToRgba, clearRealtimeSequences, needsRaster, rasterizeText, type TextAlign } from './text-raster';
import { stationTicketSchema, type StationTicketInput, type TicketPrintLine } from './ticket-content';

export interface TicketRenderOptions {
  /** IANA time zone of the branch, for the printed time. */
  timeZone: string;
  /** Characters per line in font A: 48 on 80 mm paper, 32 on 58 mm. */
  columns?: number;
}

const DOTS_PER_COLUMN = 12;
/** Font A is 24 dots tall; Arabic drawn at 30 reads about as large as the English beside it. */
const RASTER_SIZE = { normal: 30, large: 44 } as const;

type Encoder = InstanceType<typeof ReceiptPrinterEncoder>;

interface TextStyle {
  align: TextAlign;
  /** 1 = font A, 2 = double width and height. */
  size: 1 | 2;
  bold: boolean;
}

function formatTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(ms);
}

/** `left` and `right` on one line, the right part pushed to the last column. */
function twoColumns(left: string, right: string, columns: number): string {
  const room = columns - right.length - 1;
  const shown = left.length > room ? `${left.slice(0, Math.max(0, room - 1))}…` : left;
  return `${shown.padEnd(room)} ${right}`;
}

function rasterLine(encoder: Encoder, text: string, style: TextStyle, widthDots: number): void {
  const bitmap = rasterizeText(text, {
    sizeDots: style.size === 2 ? RASTER_SIZE.large : RASTER_SIZE.normal,
    widthDots,
    align: style.align,
  });
  if (bitmap.height === 0) return;
  // The bitmap is full paper width with the alignment drawn in, so the printer's own
  // justification (which some models ignore for images) does not matter.
  encoder.align('left').image(bitmapToRgba(clearRealtimeSequences(bitmap)), { width: bitmap.width, height: bitmap.height, mode: 'raster' });
}

function textLine(encoder: Encoder, text: string, style: TextStyle, widthDots: number): void {
  if (needsRaster(text)) {
    rasterLine(encoder, text, style, widthDots);
    return;
  }
  encoder.align(style.align).bold(style.bold).size(style.size, style.size).line(text).size(1, 1).bold(false);
}

/**
 * The headline of a line. A change says what the kitchen had and what it has now, so a cook
 * holding the first ticket knows to make one more (or fewer), not three more; a void says stop.
 */
function headline(line: TicketPrintLine): { en: string; ar: string } {
  if (line.kind === 'void') return { en: `VOID ${line.previousQty ?? 0} x ${line.nameEn}`, ar: `إلغاء ${line.previousQty ?? 0} × ${line.nameAr}` };
  if (line.kind === 'change') {
    return { en: `CHANGE ${line.previousQty ?? 0} -> ${line.qty} x ${line.nameEn}`, ar: `تعديل ${line.previousQty ?? 0} ← ${line.qty} × ${line.nameAr}` };
  }
  return { en: `${line.qty} x ${line.nameEn}`, ar: `${line.qty} × ${line.nameAr}` };
}

function printLine(encoder: Encoder, line: TicketPrintLine, columns: number, widthDots: number): void {
  const title = headline(line);
  // A void is printed inverted (white on black) so it cannot be mistaken for an order to cook.
  if (line.kind === 'void') encoder.invert(true);
  textLine(encoder, title.en, { align: 'left', size: 2, bold: true }, widthDots);
  if (line.kind === 'void') encoder.invert(false);
  if (line.nameAr.trim() !== '') {
    // The quantity leads the Arabic line too; bidi puts it on the right, where an Arabic reader starts.
    rasterLine(encoder, title.ar, { align: 'right', size: 2, bold: true }, widthDots);
  }
  const where = [line.seat !== null ? `Seat ${line.seat}` : null, line.course > 1 ? `Course ${line.course}` : null].filter(Boolean);
  if (where.length > 0) encoder.align('left').bold(true).line(`   ${where.join(' / ')}`).bold(false);
  if (line.kind === 'void' && line.voidReason) {
    if (needsRaster(line.voidReason)) rasterLine(encoder, line.voidReason, { align: 'right', size: 1, bold: false }, widthDots);
    else encoder.line(`   Reason: ${line.voidReason}`.slice(0, columns * 2));
  }
  for (const modifier of line.modifiers) {
    textLine(encoder, `   + ${modifier.nameEn}`, { align: 'left', size: 1, bold: false }, widthDots);
  }
  const arabicModifiers = line.modifiers.map((m) => m.nameAr.trim()).filter((name) => name !== '');
  if (arabicModifiers.length > 0) {
    rasterLine(encoder, `+ ${arabicModifiers.join('، ')}`, { align: 'right', size: 1, bold: false }, widthDots);
  }
  if (line.note.trim() !== '') {
    // A note is typed by the waiter in either language; it is drawn when it is not plain Latin.
    encoder.bold(true).line(`   NOTE:`).bold(false);
    if (needsRaster(line.note)) rasterLine(encoder, line.note, { align: 'right', size: 1, bold: false }, widthDots);
    else encoder.line(`   ${line.note}`.slice(0, columns * 4));
  }
}

/** ESC/POS bytes of one station ticket: init, header, lines, feed and cut. */
export function renderStationTicket(input: StationTicketInput, options: TicketRenderOptions): Uint8Array {
  const ticket = stationTicketSchema.parse(input);
  const columns = options.columns ?? 48;
  const widthDots = columns * DOTS_PER_COLUMN;
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns,
    imageMode: 'raster',
    feedBeforeCut: 4,
    // A raster already advances the paper by its height; an extra line feed after each Arabic
    // line would double the ticket's length.
    feedAfterBlock: false,
  });
  encoder.initialize();

  textLine(encoder, ticket.stationName.toUpperCase(), { align: 'center', size: 2, bold: true }, widthDots);
  textLine(encoder, `Table ${ticket.tableLabel}`, { align: 'center', size: 2, bold: false }, widthDots);
  const time = formatTime(ticket.sentAt, options.timeZone);
  if (needsRaster(ticket.waiterName)) {
    encoder.align('left').line(twoColumns('Waiter:', time, columns));
    rasterLine(encoder, ticket.waiterName, { align: 'left', size: 1, bold: false }, widthDots);
  } else {
    encoder.align('left').line(twoColumns(`Waiter: ${ticket.waiterName}`, time, columns));
  }
  // Short ids are enough for a cook to match a reprint or a screen to this paper.
  encoder.line(twoColumns(`Order ${ticket.orderId.slice(0, 8)}`, `Ticket ${ticket.ticketId.slice(0, 8)}`, columns));
  encoder.rule({ style: 'double' });

  ticket.lines.forEach((line, i) => {
    if (i > 0) encoder.rule();
    printLine(encoder, line, columns, widthDots);
  });

  encoder.rule({ style: 'double' });
  encoder.cut('partial');
  return encoder.encode();
}
