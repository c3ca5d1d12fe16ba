import { describe, expect, it } from 'vitest';
import { hashPin } from '../../../shared/pin-hash';
import type { StaffMember } from '../../../shared/schemas/catalog';
import { approversFor, auditStamp, findApprover, needsApproval, parseDiscount } from './approvals';

const SALT = '00112233445566778899aabbccddeeff';
const ITERATIONS = 10_000;
async function member(id: string, role: StaffMember['role'], pin: string): Promise<StaffMember> {
  return { id, name: id, role, pin: { salt: SALT, iterations: ITERATIONS, hash: await hashPin(pin, SALT, ITERATIONS) } };
}

describe('manager approval [ENT-03]', async () => {
  const sara = await member('sara', 'waiter', '1111');
  const hany = await member('hany', 'manager', '8888');
  const karim = await member('karim', 'kitchen', '3333');
  const staff = [sara, hany, karim];

  it('[ENT-03] a waiter needs a manager to void a sent line or give a discount; a manager does not', () => {
    expect(needsApproval(sara, 'orders:void-sent')).toBe(true);
    expect(needsApproval(sara, 'orders:discount')).toBe(true);
    expect(needsApproval(sara, 'orders:take')).toBe(false);
    expect(needsApproval(hany, 'orders:void-sent')).toBe(false);
    expect(approversFor(staff, 'orders:discount').map((m) => m.id)).toEqual(['hany']);
  });

  it('[ENT-03] the PIN is checked against the PBKDF2 hashes, offline; only a permitted person approves', async () => {
    expect((await findApprover('8888', staff, 'orders:void-sent'))?.id).toBe('hany');
    expect(await findApprover('1111', staff, 'orders:void-sent')).toBeNull(); // the waiter's own PIN
    expect(await findApprover('3333', staff, 'orders:void-sent')).toBeNull(); // kitchen
    expect(await findApprover('0000', staff, 'orders:void-sent')).toBeNull();
    expect(await findApprover('88', staff, 'orders:void-sent')).toBeNull();
  });

  it('[ENT-03] the stamp says who, when, why, and who approved (not the doer themself)', () => {
    expect(auditStamp({ reason: ' wrong table ', by: sara, approver: hany, now: 7 })).toEqual({
      reason: 'wrong table', by: 'sara', at: 7, approvedBy: 'hany',
    });
    expect(auditStamp({ reason: 'spilt', by: hany, approver: hany, now: 7 }).approvedBy).toBeNull();
    expect(auditStamp({ reason: 'spilt', by: hany, approver: null, now: 7 }).approvedBy).toBeNull();
  });
});

describe('discount input [ENT-04]', () => {
  it('[ENT-04] reads percentages as basis points and amounts as piastres, in either digit set', () => {
    expect(parseDiscount('percent', '10', 5_000)).toEqual({ ok: true, value: 1_000 });
    expect(parseDiscount('percent', '12.5', 5_000)).toEqual({ ok: true, value: 1_250 });
    expect(parseDiscount('percent', '١٠٠', 5_000)).toEqual({ ok: true, value: 10_000 });
    expect(parseDiscount('amount', '15.50', 5_000)).toEqual({ ok: true, value: 1_550 });
    expect(parseDiscount('amount', '٥٠', 5_000)).toEqual({ ok: true, value: 5_000 });
  });

  it('[ENT-04] refuses nothing, zero, over 100 % and more than the amount discounted', () => {
    expect(parseDiscount('percent', '', 5_000)).toEqual({ ok: false, problem: 'unreadable' });
    expect(parseDiscount('percent', 'ten', 5_000)).toEqual({ ok: false, problem: 'unreadable' });
    expect(parseDiscount('amount', '0', 5_000)).toEqual({ ok: false, problem: 'zero' });
    expect(parseDiscount('percent', '100.01', 5_000)).toEqual({ ok: false, problem: 'over-100' });
    expect(parseDiscount('amount', '50.01', 5_000)).toEqual({ ok: false, problem: 'over-base' });
  });
});
