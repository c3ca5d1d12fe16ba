import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KitchenTicket, Order, OrderLine } from '../../shared/schemas/order';
import { stationTicketsFor } from './ticket-content';

const line = (nameEn: string, station: string, overrides: Partial<OrderLine> = {}): OrderLine => ({
  id: randomUUID(), itemId: `cairo-${nameEn.toLowerCase()}`, nameEn, nameAr: `عربي ${nameEn}`, qty: 1, unitPriceMinor: 1000,
  modifiers: [], note: '', station, addedBy: 'sara', addedAt: 1, ticketId: null, ...overrides,
});

const names = {
  stationName: (id: string) => ({ grill: 'Grill', bar: 'Bar' })[id] ?? id,
  staffName: (id: string) => (id === 'sara' ? 'Sara' : id),
};

function orderWith(lines: OrderLine[]): Order {
  return {
    id: randomUUID(), branchId: 'cairo', type: 'dine-in', tableId: 't3', guests: 2, openedAt: 1, openedBy: 'sara',
    deviceId: 'pos-1', status: 'open', paidAt: null, totals: null, lines, payments: [],
  };
}

function ticketFor(order: Order, lineIds: string[]): KitchenTicket {
  return { id: randomUUID(), orderId: order.id, tableLabel: 'T3', lineIds, createdAt: 1_700_000_000_000, createdBy: 'sara', status: 'pending', readyAt: null };
}

describe('station tickets', () => {
  it('[PRN-01] gives each station only its own lines, in the ticket\'s order, with names resolved', () => {
    const kofta = line('Kofta', 'grill', { qty: 2, modifiers: [{ groupId: 'size', optionId: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 0 }] });
    const tea = line('Tea', 'bar', { note: 'no sugar' });
    const steak = line('Steak', 'grill');
    const order = orderWith([kofta, tea, steak]);
    const parts = stationTicketsFor(ticketFor(order, [kofta.id, tea.id, steak.id]), order, names);

    expect(parts.map((p) => [p.stationId, p.stationName, p.lines.map((l) => l.nameEn)])).toEqual([
      ['grill', 'Grill', ['Kofta', 'Steak']],
      ['bar', 'Bar', ['Tea']],
    ]);
    expect(parts[0]).toMatchObject({ tableLabel: 'T3', waiterName: 'Sara', sentAt: 1_700_000_000_000, orderId: order.id });
    expect(parts[0]?.lines[0]).toEqual({ lineId: kofta.id, qty: 2, nameEn: 'Kofta', nameAr: 'عربي Kofta', modifiers: [{ nameEn: 'Large', nameAr: 'كبير' }], note: '' });
    expect(parts[1]?.lines[0]?.note).toBe('no sugar');
  });

  it('[PRN-01] prints only the lines of this ticket, never the whole order again', () => {
    const sentBefore = line('Kofta', 'grill', { ticketId: randomUUID() });
    const added = line('Steak', 'grill');
    const order = orderWith([sentBefore, added]);
    const parts = stationTicketsFor(ticketFor(order, [added.id]), order, names);
    expect(parts.flatMap((p) => p.lines.map((l) => l.nameEn))).toEqual(['Steak']);
  });

  it('skips lines the order no longer has', () => {
    const kept = line('Tea', 'bar');
    const order = orderWith([kept]);
    const parts = stationTicketsFor(ticketFor(order, [randomUUID(), kept.id]), order, names);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.lines.map((l) => l.nameEn)).toEqual(['Tea']);
  });
});
