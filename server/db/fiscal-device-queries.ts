/**
 * SQL of the fiscal identity of branches and paying devices (migration 003): the seller block a
 * branch's receipts carry, and the ETA POS serials registered per branch, of which a paying
 * device takes one for good the first time it asks [FIS-50].
 */
import { etaBranchAddressSchema, etaSellerSchema, type EtaBranchAddress, type EtaSeller } from '../../shared/eta/receipt-schema';
import type { Database, Queryable } from './database';

export interface BranchFiscalProfile {
  branchId: string;
  rin: string;
  companyTradeName: string;
  branchCode: string;
  activityCode: string;
  address: EtaBranchAddress;
}

export async function upsertBranchFiscalProfile(db: Queryable, p: BranchFiscalProfile): Promise<void> {
  await db.query(
    `insert into branch_fiscal_profiles (branch_id, rin, company_trade_name, branch_code, activity_code, address)
     values ($1, $2, $3, $4, $5, $6::jsonb)
     on conflict (branch_id) do update set rin = excluded.rin, company_trade_name = excluded.company_trade_name,
       branch_code = excluded.branch_code, activity_code = excluded.activity_code, address = excluded.address`,
    [p.branchId, p.rin, p.companyTradeName, p.branchCode, p.activityCode, JSON.stringify(etaBranchAddressSchema.parse(p.address))],
  );
}

/** Registers ETA POS serials for a branch (already registered ones are left alone). */
export async function registerPosSerials(db: Queryable, branchId: string, serials: readonly string[]): Promise<void> {
  if (serials.length === 0) return;
  await db.query(
    `insert into fiscal_pos_serials (serial, branch_id) select s, $2 from unnest($1::text[]) as s on conflict (serial) do nothing`,
    [serials, branchId],
  );
}

export async function loadBranchFiscalProfile(db: Queryable, branchId: string): Promise<BranchFiscalProfile | null> {
  const { rows } = await db.query<{ rin: string; company_trade_name: string; branch_code: string; activity_code: string; address: unknown }>(
    'select rin, company_trade_name, branch_code, activity_code, address from branch_fiscal_profiles where branch_id = $1',
    [branchId],
  );
  const r = rows[0];
  if (!r) return null;
  const address = etaBranchAddressSchema.safeParse(typeof r.address === 'string' ? JSON.parse(r.address) : r.address);
  if (!address.success) return null;
  return { branchId, rin: r.rin, companyTradeName: r.company_trade_name, branchCode: r.branch_code, activityCode: r.activity_code, address: address.data };
}

export function sellerFor(profile: BranchFiscalProfile, serial: string): EtaSeller {
  return etaSellerSchema.parse({
    rin: profile.rin,
    companyTradeName: profile.companyTradeName,
    branchCode: profile.branchCode,
    branchAddress: profile.address,
    deviceSerialNumber: serial,
    activityCode: profile.activityCode,
  });
}

export type SerialAssignment = { ok: true; serial: string } | { ok: false; reason: 'no-free-serial' };

/**
 * The device's ETA serial: the one it already has, else the branch's first free registered one,
 * taken in one transaction (two devices asking at once never get the same serial: primary key on
 * the serial, unique device_id, and skip-locked row choice).
 */
export async function assignPosSerial(db: Database, deviceId: string, branchId: string): Promise<SerialAssignment> {
  return db.transact(async (tx) => {
    const mine = await tx.query<{ serial: string }>('select serial from fiscal_pos_serials where device_id = $1 and branch_id = $2', [deviceId, branchId]);
    if (mine.rows[0]) return { ok: true, serial: mine.rows[0].serial };
    const { rows } = await tx.query<{ serial: string }>(
      `update fiscal_pos_serials set device_id = $1, assigned_at = now()
       where serial = (select serial from fiscal_pos_serials where branch_id = $2 and device_id is null
                       order by serial limit 1 for update skip locked)
       returning serial`,
      [deviceId, branchId],
    );
    return rows[0] ? { ok: true, serial: rows[0].serial } : { ok: false, reason: 'no-free-serial' };
  });
}

/** Whether `serial` is registered for `branchId` (and to which device, if taken). */
export async function findPosSerial(db: Queryable, serial: string): Promise<{ branchId: string; deviceId: string | null } | null> {
  const { rows } = await db.query<{ branch_id: string; device_id: string | null }>(
    'select branch_id, device_id from fiscal_pos_serials where serial = $1',
    [serial],
  );
  return rows[0] ? { branchId: rows[0].branch_id, deviceId: rows[0].device_id } : null;
}

/** The sandbox taxpayer (server/fiscal/eta-runtime.ts uses the same RIN for its in-process ETA). */
export const DEMO_TAXPAYER_RIN = '123456789';

/**
 * Demo fiscal data: each demo branch gets a seller profile (the sandbox's taxpayer) and eight
 * registered POS serials, so paired demo tablets can issue receipts at once.
 */
export async function seedFiscalDemo(db: Queryable, branches: ReadonlyArray<{ id: string; nameEn: string }>): Promise<void> {
  for (const [i, b] of branches.entries()) {
    await upsertBranchFiscalProfile(db, {
      branchId: b.id,
      rin: DEMO_TAXPAYER_RIN,
      companyTradeName: 'Demo Bistro',
      branchCode: String(i),
      activityCode: '5610',
      address: i === 0
        ? { country: 'EG', governate: 'Cairo', regionCity: 'Downtown', street: 'Talaat Harb', buildingNumber: '12' }
        : { country: 'EG', governate: 'Alexandria', regionCity: 'Corniche', street: 'El Geish Road', buildingNumber: '40' },
    });
    await registerPosSerials(db, b.id, Array.from({ length: 8 }, (_, n) => `RF-${b.id.toUpperCase()}-POS-${String(n + 1).padStart(2, '0')}`));
  }
}

/**
 * A demo database seeded before fiscal registration existed (migration 003) gets the demo
 * fiscal data too, so `npm start` on an old `./data` still issues receipts. Only the demo
 * tenant's branches, and only when no branch has a fiscal profile yet.
 */
export async function ensureDemoFiscalData(db: Database): Promise<boolean> {
  const { rows: profiles } = await db.query<{ n: string | number }>('select count(*) as n from branch_fiscal_profiles');
  if (Number(profiles[0]?.n ?? 0) > 0) return false;
  const { rows: branches } = await db.query<{ id: string; name_en: string }>(
    `select id, name_en from branches where tenant_id = 'demo' and id in ('cairo', 'alex') order by case id when 'cairo' then 0 else 1 end`,
  );
  if (branches.length === 0) return false;
  await db.transact((tx) => seedFiscalDemo(tx, branches.map((b) => ({ id: b.id, nameEn: b.name_en }))));
  return true;
}
