import type { OrderLine } from '../../../shared/schemas/order';
import { MAX_COURSE } from '../../../shared/schemas/order';

/** The courses a waiter picks from on the tablet (the model allows up to MAX_COURSE). */
export const COURSES: readonly number[] = Array.from({ length: MAX_COURSE }, (_, i) => i + 1);

export interface CourseGroup {
  course: number;
  lines: OrderLine[];
  /** Lines of this course waiting on the tablet for "Fire course". */
  heldCount: number;
}

/** True for a line that waits to be fired: held, not voided, not yet with the kitchen. */
export const isWaitingToFire = (line: OrderLine): boolean => line.isHeld && line.void === null;

/**
 * The order's lines by course, first course first, each in the order they were added. Only
 * courses that have lines appear, so an order taken without courses shows one plain list.
 */
export function groupByCourse(lines: readonly OrderLine[]): CourseGroup[] {
  const byCourse = new Map<number, OrderLine[]>();
  for (const line of lines) byCourse.set(line.course, [...(byCourse.get(line.course) ?? []), line]);
  return [...byCourse.entries()]
    .sort(([a], [b]) => a - b)
    .map(([course, courseLines]) => ({ course, lines: courseLines, heldCount: courseLines.filter(isWaitingToFire).length }));
}

/**
 * Whether new lines of a course start held. The first course goes with the next send; later
 * courses wait to be fired, as a kitchen expects (the waiter can still change it per line).
 */
export const isHeldByDefault = (course: number): boolean => course > 1;
