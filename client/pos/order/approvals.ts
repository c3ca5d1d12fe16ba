import { parseMajorInput, type Minor } from '../../../shared/money';
import { hasPermission, type Permission } from '../../../shared/permissions';
import { isPinFormat, verifyPin } from '../../../shared/pin-hash';
import type { StaffMember } from '../../../shared/schemas/catalog';
import type { AuditStamp, Discount } from '../../../shared/schemas/order';

/**
 * Manager override on the tablet [SET-08]: what a waiter may not do alone (void a sent line,
 * give a discount) is done once a manager types a PIN on the same tablet. The PIN is checked
 * against the PBKDF2 hashes in the cached catalog, so it works offline; the document records
 * who did it and who approved it, and the server checks both again at settlement.
 */

export const needsApproval = (member: Pick<StaffMember, 'role'>, permission: Permission): boolean =>
  !hasPermission(member.role, permission);

/** Staff who may approve: those holding the permission themselves. */
export const approversFor = (staff: readonly StaffMember[], permission: Permission): StaffMember[] =>
  staff.filter((member) => hasPermission(member.role, permission));

/** The approver whose PIN this is, or null (wrong PIN, or nobody with the permission has it). */
export async function findApprover(
  pin: string,
  staff: readonly StaffMember[],
  permission: Permission,
  verify: typeof verifyPin = verifyPin,
): Promise<StaffMember | null> {
  if (!isPinFormat(pin)) return null;
  for (const member of approversFor(staff, permission)) {
    if (await verify(pin, member.pin)) return member;
  }
  return null;
}

/** Who did it, when, why, and the manager who approved it when the doer could not alone. */
export function auditStamp(input: { reason: string; by: StaffMember; approver: StaffMember | null; now: number }): AuditStamp {
  const approvedBy = input.approver && input.approver.id !== input.by.id ? input.approver.id : null;
  return { reason: input.reason.trim(), by: input.by.id, at: input.now, approvedBy };
}

export type DiscountKind = Discount['kind'];
export type DiscountParse = { ok: true; value: number } | { ok: false; problem: 'unreadable' | 'zero' | 'over-100' | 'over-base' };

/**
 * A discount as typed: a percentage ("10", "12.5", "١٠") becomes basis points, an amount in
 * pounds ("15.50") becomes piastres. Refused: nothing, zero, over 100 %, or more than `baseMinor`
 * (what the line or order comes to before this discount).
 */
export function parseDiscount(kind: DiscountKind, text: string, baseMinor: Minor): DiscountParse {
  // Both are read with two decimals: "12.5" % is 1 250 basis points, "12.5" pounds 1 250 piastres.
  const value = parseMajorInput(text);
  if (value === null) return { ok: false, problem: 'unreadable' };
  if (value <= 0) return { ok: false, problem: 'zero' };
  if (kind === 'percent' && value > 10_000) return { ok: false, problem: 'over-100' };
  if (kind === 'amount' && value > baseMinor) return { ok: false, problem: 'over-base' };
  return { ok: true, value };
}
