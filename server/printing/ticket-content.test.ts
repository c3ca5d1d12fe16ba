import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderLineSchema, type KitchenTicket, type Order, type OrderLine } from '../../shared/schemas/order';
import { stationTicketsFor } from './ticket-content';

const line = (nameEn: string, station: string, overrides: Partial<OrderLine> = {}): OrderLine => orderLineSchema.parse({
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
    deviceId: 'pos-1', status: 'open', paidAt: null, totals: null, lines, payments: [], customer: null, discount: null, billPrintedAt: null,
  };
}

function ticketFor(order: Order, lineIds: string[]): KitchenTicket {
  const items = lineIds.map((lineId) => {
    const line = order.lines.find((l) => l.id === lineId);
    return {
      lineId, itemId: line?.itemId ?? 'gone', nameEn: line?.nameEn ?? '', nameAr: line?.nameAr ?? '', kind: 'new' as const,
      qty: line?.qty ?? 1, previousQty: null, modifiers: line?.modifiers ?? [], note: line?.note ?? '', seat: null, course: 1, voidReason: null,
    };
  });
  return {
    id: randomUUID(), orderId: order.id, tableLabel: 'T3', station: 'grill', items, createdAt: 1_700_000_000_000, createdBy: 'sara',
    waiterName: 'Sara', status: 'pending', startedAt: null, readyAt: null, recalledAt: null,
  };
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
