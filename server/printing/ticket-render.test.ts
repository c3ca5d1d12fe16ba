import { describe, expect, it } from 'vitest';
import type { StationTicketInput } from './ticket-content';
import { renderStationTicket } from './ticket-render';

const ticket: StationTicketInput = {
  ticketId: '9f8e7d6c-1111-4111-8111-111111111111',
  orderId: '1a2b3c4d-2222-4222-8222-222222222222',
  stationId: 'hot',
  stationName: 'Hot kitchen',
  tableLabel: 'T3',
  waiterName: 'Sara',
  sentAt: Date.UTC(2025, 0, 15, 12, 34),
  lines: [
    {
      lineId: '3a2b3c4d-2222-4222-8222-222222222222',
      qty: 2,
      nameEn: 'Koshari',
      nameAr: 'كشري',
      modifiers: [{ nameEn: 'Large', nameAr: 'كبير' }],
      note: 'no onions',
    },
    { lineId: '4a2b3c4d-2222-4222-8222-222222222222', qty: 1, nameEn: 'Macaroni Béchamel', nameAr: 'مكرونة بشاميل', modifiers: [], note: 'بدون بصل' },
  ],
};

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

interface Raster {
  widthDots: number;
  height: number;
  ink: number;
}

/** Finds `GS v 0 m xL xH yL yH d…` images in the byte stream and counts their black dots. */
function rasters(bytes: Uint8Array): Raster[] {
  const found: Raster[] = [];
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (bytes[i] !== 0x1d || bytes[i + 1] !== 0x76 || bytes[i + 2] !== 0x30) continue;
    const widthBytes = (bytes[i + 4] ?? 0) + 256 * (bytes[i + 5] ?? 0);
    const height = (bytes[i + 6] ?? 0) + 256 * (bytes[i + 7] ?? 0);
    const data = bytes.subarray(i + 8, i + 8 + widthBytes * height);
    let ink = 0;
    for (const byte of data) for (let bit = 0; bit < 8; bit++) ink += (byte >> bit) & 1;
    found.push({ widthDots: widthBytes * 8, height, ink });
    i += 8 + data.length - 1;
  }
  return found;
}

describe('kitchen ticket rendering', () => {
  const bytes = renderStationTicket(ticket, { timeZone: 'Africa/Cairo' });
  const text = latin1(bytes);

  it('starts by resetting the printer (ESC @) and ends with a cut (GS V)', () => {
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    expect(text.lastIndexOf('\x1dV')).toBeGreaterThan(text.length - 10);
  });

  it('prints the header: station, table, waiter, local time, order and ticket', () => {
    expect(text).toContain('HOT KITCHEN');
    expect(text).toContain('Table T3');
    expect(text).toMatch(/Waiter: Sara +14:34/);
    expect(text).toMatch(/Order 1a2b3c4d +Ticket 9f8e7d6c/);
  });

  it('prints each line with quantity, name, modifiers and note in the printer\'s font', () => {
    expect(text).toContain('2 x Koshari');
    expect(text).toContain('   + Large');
    expect(text).toContain('no onions');
    // é goes through a codepage, not a picture.
    expect(text).toContain('1 x Macaroni B');
    expect(text.indexOf('2 x Koshari')).toBeLessThan(text.indexOf('1 x Macaroni'));
  });

  it('[PRN-07] draws Arabic names, modifiers and an Arabic note as full-width raster images (GS v 0)', () => {
    const images = rasters(bytes);
    // كشري, كبير, مكرونة بشاميل, بدون بصل
    expect(images).toHaveLength(4);
    for (const image of images) {
      expect(image.widthDots).toBe(576);
      expect(image.ink).toBeGreaterThan(100);
    }
  });

  it('[PRN-06] never contains a real-time command (DLE EOT / ENQ / DC4) the printer would act on mid-ticket', () => {
    for (let i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] === 0x10) expect([0x04, 0x05, 0x14]).not.toContain(bytes[i + 1]);
    }
  });

  it('draws Arabic header fields too, and fits 58 mm paper when asked', () => {
    const arabic = renderStationTicket({ ...ticket, stationName: 'المشويات', waiterName: 'سارة', tableLabel: 'ت٣' }, { timeZone: 'UTC', columns: 32 });
    const images = rasters(arabic);
    expect(images.length).toBe(4 + 3);
    expect(images.every((image) => image.widthDots === 384)).toBe(true);
    // Drawn, not sent as text the printer would turn into question marks.
    expect(latin1(arabic)).not.toContain('Table ');
    expect(latin1(arabic)).toMatch(/Waiter: +12:34/);
  });
});
