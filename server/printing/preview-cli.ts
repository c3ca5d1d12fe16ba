/**
 * `npm run print:preview -- [out.png] [ticket.json]`: renders a station ticket (a sample one, or
 * a `StationTicket` as JSON) exactly as the gateway would send it, then draws those bytes as a
 * PNG. For checking a layout or Arabic text without a printer at hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { bitmapToPng, previewEscPos } from './escpos-preview';
import { stationTicketSchema, type StationTicketInput } from './ticket-content';
import { renderStationTicket } from './ticket-render';

const SAMPLE: StationTicketInput = {
  ticketId: '5c1f9a7e-3b2d-4c8e-9f10-2a6b7c8d9e0f',
  orderId: '0e4d2c1b-8a7f-4e6d-9c5b-4a3f2e1d0c9b',
  stationId: 'hot',
  stationName: 'Hot kitchen',
  tableLabel: 'T12',
  waiterName: 'Sara',
  sentAt: Date.UTC(2025, 4, 20, 17, 42),
  lines: [
    {
      lineId: '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9',
      qty: 2,
      nameEn: 'Koshari',
      nameAr: 'كشري',
      modifiers: [
        { nameEn: 'Large', nameAr: 'كبير' },
        { nameEn: 'Extra crispy onions', nameAr: 'بصل مقرمش زيادة' },
      ],
      note: 'one without chili',
    },
    { lineId: '2b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9', qty: 1, nameEn: 'Molokhia with Chicken', nameAr: 'ملوخية بالفراخ', modifiers: [], note: 'الصلصة على جنب من فضلك' },
    { lineId: '3b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9', qty: 3, nameEn: 'Macaroni Béchamel', nameAr: 'مكرونة بشاميل', modifiers: [], note: '' },
  ],
};

const [out = 'ticket-preview.png', input] = process.argv.slice(2);
const ticket = input ? stationTicketSchema.parse(JSON.parse(readFileSync(input, 'utf8'))) : SAMPLE;
const bytes = renderStationTicket(ticket, { timeZone: 'Africa/Cairo' });
writeFileSync(out, bitmapToPng(previewEscPos(bytes)));
console.log(`${bytes.length} bytes of ESC/POS drawn to ${out}`);
