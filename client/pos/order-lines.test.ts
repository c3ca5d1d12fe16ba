import { describe, expect, it } from 'vitest';
import { priceOrder } from '../../shared/pricing';
import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import { orderLineSchema, type Order } from '../../shared/schemas/order';
import { checkPaidOrder } from '../../shared/settlement-rules';
import * as Y from 'yjs';
import { openOrder, readOrder, sendToKitchen, addLine, updateLine, voidLine } from '../../shared/live-doc';
import { areChoicesComplete, buildLine, groupsOfItem, isPendingSend, lineState, toggleChoice } from './order-lines';

const pin = { salt: '00112233445566778899aabbccddeeff', iterations: 10_000, hash: '0'.repeat(64) };
const catalog: Catalog = catalogSchema.parse({
  version: 1,
  branch: { id: 'cairo', tenantId: 'demo', tenantName: 'Demo', nameEn: 'Cairo', nameAr: 'القاهرة', currency: 'EGP' },
  tax: { vatRateBp: 1_400, serviceChargeRateBp: 1_200 },
  zones: [{ id: 'indoor', nameEn: 'Indoor', nameAr: 'داخلي' }],
  tables: [{ id: 't1', zoneId: 'indoor', label: 'T1', seats: 4 }],
  categories: [{ id: 'mains', nameEn: 'Mains', nameAr: 'رئيسي' }],
  items: [
    { id: 'item_koshari', categoryId: 'mains', nameEn: 'Koshari', nameAr: 'كشري', priceMinor: 6_000, station: 'kitchen', modifierGroupIds: ['size', 'gone'] },
  ],
  modifierGroups: [
    {
      id: 'size',
      nameEn: 'Size',
      nameAr: 'الحجم',
      minSelect: 1,
      maxSelect: 1,
      options: [
        { id: 'small', nameEn: 'Small', nameAr: 'صغير', priceMinor: 0 },
        { id: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 2_000 },
      ],
    },
  ],
  staff: [{ id: 'sara', name: 'Sara', role: 'waiter', pin }],
});

const koshari = catalog.items[0]!;
const size = catalog.modifierGroups[0]!;
const large = size.options[1]!;
const LINE_ID = '00000000-0000-4000-8000-000000000010';

describe('order lines', () => {
  it('lists an item’s groups in menu order and skips groups the catalog lacks', () => {
    expect(groupsOfItem(koshari, catalog).map((g) => g.id)).toEqual(['size']);
  });

  it('builds a line the live document accepts, at the catalog’s prices', () => {
    const line = buildLine({ id: LINE_ID, item: koshari, chosen: [{ group: size, option: large }], note: '  no onions ', by: 'sara', now: 5 });
    expect(orderLineSchema.parse(line)).toEqual(line);
    expect(line).toMatchObject({ unitPriceMinor: 6_000, station: 'kitchen', note: 'no onions', ticketId: null });
    expect(line.modifiers).toEqual([{ groupId: 'size', optionId: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 2_000 }]);
  });

  it('builds lines that pass the server’s settlement rules once paid', () => {
    const line = buildLine({ id: LINE_ID, item: koshari, chosen: [{ group: size, option: large }], note: '', by: 'sara', now: 5 });
    const priced = priceOrder([line], catalog.tax, 'dine-in');
    const order: Order = {
      id: '00000000-0000-4000-8000-000000000001',
      branchId: 'cairo',
      type: 'dine-in',
      tableId: 't1',
      guests: 2,
      openedAt: 1,
      openedBy: 'sara',
      deviceId: 'dev1',
      status: 'paid',
      paidAt: 9,
      customer: null,
      discount: null,
      billPrintedAt: null,
      totals: { subtotalMinor: priced.subtotalMinor, discountMinor: 0, serviceMinor: priced.serviceMinor, vatMinor: priced.vatMinor, totalMinor: priced.totalMinor },
      lines: [line],
      payments: [
        { id: '00000000-0000-4000-8000-000000000020', method: 'cash', amountMinor: priced.totalMinor, tenderedMinor: 200_00, changeMinor: 200_00 - priced.totalMinor, tipMinor: 0, part: null, at: 9, by: 'sara' },
      ],
    };
    expect(checkPaidOrder(order, catalog).ok).toBe(true);
  });

  it('derives new, sent and ready from the line’s ticket', () => {
    const line = buildLine({ id: LINE_ID, item: koshari, chosen: [], note: '', by: 'sara', now: 5 });
    const ticketId = '00000000-0000-4000-8000-000000000030';
    const ticket = {
      id: ticketId, orderId: LINE_ID, tableLabel: 'T1', station: 'hot', createdAt: 6, createdBy: 'sara', waiterName: 'Sara',
      items: [{ lineId: LINE_ID, itemId: koshari.id, nameEn: 'Koshari', nameAr: 'كشري', kind: 'new' as const, qty: 1, previousQty: null, modifiers: [], note: '', seat: null, course: 1, voidReason: null, afterTicketId: null }],
      startedAt: null, readyAt: null, recalledAt: null,
    };
    const sent = { ...line, ticketId, sentQty: 1 };
    expect(lineState(line, new Map())).toBe('new');
    expect(lineState({ ...line, isHeld: true }, new Map())).toBe('new');
    expect(lineState(sent, new Map([[ticketId, { ...ticket, status: 'pending' as const }]]))).toBe('sent');
    expect(lineState(sent, new Map([[ticketId, { ...ticket, status: 'started' as const, startedAt: 7 }]]))).toBe('sent');
    expect(lineState(sent, new Map([[ticketId, { ...ticket, status: 'ready' as const, readyAt: 7 }]]))).toBe('ready');
    // a quantity changed since the send is news for the kitchen again
    expect(lineState({ ...sent, qty: 2 }, new Map([[ticketId, { ...ticket, status: 'ready' as const, readyAt: 7 }]]))).toBe('new');
    expect(lineState({ ...sent, void: { reason: 'x', by: 'sara', at: 8, approvedBy: 'hany' } }, new Map())).toBe('voided');
  });

  it('[ORD-03] the send button is enabled exactly when a send would make a ticket', () => {
    const orderId = '00000000-0000-4000-8000-000000000001';
    const doc = new Y.Doc();
    openOrder(doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'dev1' });
    let ids = 0;
    const newId = () => `00000000-0000-4000-8000-${String(900 + ++ids).padStart(12, '0')}`;
    const send = () => sendToKitchen(doc, { orderId, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 10, newTicketId: newId });
    const pending = () => {
      const read = readOrder(doc, orderId);
      if (!read.ok) throw new Error(read.error);
      return read.value.lines.some(isPendingSend);
    };
    const check = () => {
      const expected = pending();
      expect(send().length > 0).toBe(expected);
      expect(pending()).toBe(false);
    };
    const a = buildLine({ id: newId(), item: koshari, chosen: [], note: '', by: 'sara', now: 5 });
    const held = buildLine({ id: newId(), item: koshari, chosen: [], note: '', by: 'sara', now: 6, course: 2, isHeld: true });
    expect(pending()).toBe(false);
    check(); // nothing at all
    addLine(doc, orderId, held);
    check(); // only a held line
    addLine(doc, orderId, a);
    check(); // a new line
    check(); // nothing changed since
    updateLine(doc, orderId, a.id, { qty: 3 });
    check(); // a quantity change
    voidLine(doc, orderId, a.id, { reason: 'wrong', by: 'sara', at: 11, approvedBy: 'hany' });
    check(); // a void of a sent line
    voidLine(doc, orderId, held.id, { reason: 'wrong', by: 'sara', at: 11, approvedBy: null });
    check(); // a void of a line the kitchen never had
  });

  it('[SET-04] choices: one-choice groups act as radio buttons, others stop at their maximum', () => {
    const extras = { id: 'extras', nameEn: 'Extras', nameAr: 'إضافات', minSelect: 0, maxSelect: 2, options: [] };
    const optionalOne = { ...extras, maxSelect: 1 };
    expect(toggleChoice(size, [], 'small')).toEqual(['small']);
    expect(toggleChoice(size, ['small'], 'large')).toEqual(['large']);
    expect(toggleChoice(size, ['large'], 'large')).toEqual(['large']); // required: can't be emptied
    expect(toggleChoice(optionalOne, ['a'], 'a')).toEqual([]);
    expect(toggleChoice(extras, ['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleChoice(extras, ['a', 'b'], 'c')).toEqual(['a', 'b']);
    expect(toggleChoice(extras, ['a', 'b'], 'a')).toEqual(['b']);
    expect(areChoicesComplete([size], new Map())).toBe(false);
    expect(areChoicesComplete([size], new Map([['size', ['large']]]))).toBe(true);
    expect(areChoicesComplete([extras], new Map())).toBe(true);
    expect(areChoicesComplete([extras], new Map([['extras', ['a', 'b', 'c']]]))).toBe(false);
  });
});
