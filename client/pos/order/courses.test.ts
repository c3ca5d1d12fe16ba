import { describe, expect, it } from 'vitest';
import { orderLineSchema, type OrderLine } from '../../../shared/schemas/order';
import { COURSES, groupByCourse, isHeldByDefault } from './courses';

let n = 0;
const line = (course: number, extra: Partial<OrderLine> = {}): OrderLine =>
  orderLineSchema.parse({
    id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    itemId: 'koshari', nameEn: 'Koshari', nameAr: 'كشري', qty: 1, unitPriceMinor: 100, modifiers: [], note: '',
    station: 'hot', addedBy: 'sara', addedAt: n, ticketId: null, course, ...extra,
  });

describe('courses [ENT-02]', () => {
  it('[ENT-02] groups lines by course, first course first, keeping the order lines were added', () => {
    const a = line(2, { isHeld: true });
    const b = line(1);
    const c = line(2, { isHeld: true, void: { reason: 'x', by: 'sara', at: 1, approvedBy: null } });
    const d = line(1);
    const groups = groupByCourse([a, b, c, d]);
    expect(groups.map((g) => g.course)).toEqual([1, 2]);
    expect(groups[0]!.lines).toEqual([b, d]);
    expect(groups[1]!.lines).toEqual([a, c]);
    // a voided held line is not waiting to be fired
    expect(groups.map((g) => g.heldCount)).toEqual([0, 1]);
  });

  it('[ENT-02] an order without courses is one group; later courses start held', () => {
    expect(groupByCourse([line(1), line(1)]).length).toBe(1);
    expect(groupByCourse([])).toEqual([]);
    expect(COURSES).toEqual([1, 2, 3, 4, 5]);
    expect(COURSES.map(isHeldByDefault)).toEqual([false, true, true, true, true]);
  });
});
