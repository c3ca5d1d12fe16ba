import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import type { Queryable } from './database';
import { loadBranchFiscalProfile, type BranchFiscalProfile } from './fiscal-device-queries';
import { listStations } from './station-queries';

/** Reads a branch's reference data as the Catalog that devices cache. Null for an unknown branch. */
/**
 * The branch's catalog version, or null without such a branch. Every write to a branch's
 * reference data (menu, tables, staff, taxes, stations) must bump branches.catalog_version:
 * devices and the settlement's catalog cache rely on it.
 */
export async function loadCatalogVersion(db: Queryable, branchId: string): Promise<number | null> {
  const row = (await db.query<{ catalog_version: number }>('select catalog_version from branches where id = $1', [branchId])).rows[0];
  return row ? row.catalog_version : null;
}

export async function loadCatalog(db: Queryable, branchId: string): Promise<Catalog | null> {
  const branch = (
    await db.query<{
      id: string; tenant_id: string; tenant_name: string; name_en: string; name_ar: string; currency: string;
      catalog_version: number; vat_rate_bp: number; service_charge_rate_bp: number;
    }>(
      `select b.id, b.tenant_id, t.name as tenant_name, b.name_en, b.name_ar, b.currency, b.catalog_version,
              t.vat_rate_bp, t.service_charge_rate_bp
         from branches b join tenants t on t.id = b.tenant_id where b.id = $1`,
      [branchId],
    )
  ).rows[0];
  if (!branch) return null;

  const [zones, tables, categories, items, itemGroups, groups, options, staff, stations, fiscal] = await Promise.all([
    db.query<{ id: string; name_en: string; name_ar: string }>(
      'select id, name_en, name_ar from zones where branch_id = $1 order by sort, id', [branchId]),
    db.query<{ id: string; zone_id: string; label: string; seats: number }>(
      'select id, zone_id, label, seats from dining_tables where branch_id = $1 order by sort, id', [branchId]),
    db.query<{ id: string; name_en: string; name_ar: string }>(
      'select id, name_en, name_ar from menu_categories where branch_id = $1 order by sort, id', [branchId]),
    db.query<{ id: string; category_id: string; name_en: string; name_ar: string; price_minor: string | number; station: string; prep_minutes: number }>(
      `select id, category_id, name_en, name_ar, price_minor, station, prep_minutes from menu_items
        where branch_id = $1 and active order by sort, id`, [branchId]),
    db.query<{ item_id: string; group_id: string }>(
      `select mg.item_id, mg.group_id from menu_item_modifier_groups mg
         join menu_items i on i.id = mg.item_id where i.branch_id = $1 order by mg.sort, mg.group_id`, [branchId]),
    db.query<{ id: string; name_en: string; name_ar: string; min_select: number; max_select: number }>(
      'select id, name_en, name_ar, min_select, max_select from modifier_groups where branch_id = $1 order by id', [branchId]),
    db.query<{ id: string; group_id: string; name_en: string; name_ar: string; price_minor: string | number }>(
      `select o.id, o.group_id, o.name_en, o.name_ar, o.price_minor from modifier_options o
         join modifier_groups g on g.id = o.group_id where g.branch_id = $1 order by o.sort, o.id`, [branchId]),
    db.query<{ id: string; name: string; role: string; pin_salt: string; pin_iterations: number; pin_hash: string }>(
      `select u.id, u.name, u.role, u.pin_salt, u.pin_iterations, u.pin_hash from users u
         join user_branches ub on ub.user_id = u.id where ub.branch_id = $1 and u.active order by u.id`, [branchId]),
    listStations(db, branchId),
    loadBranchFiscalProfile(db, branchId),
  ]);

  // bigint columns come back as strings from pg; amounts here are far below 2^53.
  return catalogSchema.parse({
    version: branch.catalog_version,
    branch: {
      id: branch.id, tenantId: branch.tenant_id, tenantName: branch.tenant_name,
      nameEn: branch.name_en, nameAr: branch.name_ar, currency: branch.currency,
      // printed on bills and receipts: the seller as registered with the tax authority
      taxRegistrationNumber: fiscal?.rin, taxpayerName: fiscal?.companyTradeName,
      addressEn: fiscal ? printedAddress(fiscal.address) : undefined,
    },
    tax: { vatRateBp: branch.vat_rate_bp, serviceChargeRateBp: branch.service_charge_rate_bp },
    zones: zones.rows.map((z) => ({ id: z.id, nameEn: z.name_en, nameAr: z.name_ar })),
    tables: tables.rows.map((t) => ({ id: t.id, zoneId: t.zone_id, label: t.label, seats: t.seats })),
    categories: categories.rows.map((c) => ({ id: c.id, nameEn: c.name_en, nameAr: c.name_ar })),
    items: items.rows.map((i) => ({
      id: i.id, categoryId: i.category_id, nameEn: i.name_en, nameAr: i.name_ar, priceMinor: Number(i.price_minor),
      station: i.station, prepMinutes: i.prep_minutes,
      modifierGroupIds: itemGroups.rows.filter((g) => g.item_id === i.id).map((g) => g.group_id),
    })),
    stations,
    modifierGroups: groups.rows.map((g) => ({
      id: g.id, nameEn: g.name_en, nameAr: g.name_ar, minSelect: g.min_select, maxSelect: g.max_select,
      options: options.rows.filter((o) => o.group_id === g.id).map((o) => ({
        id: o.id, nameEn: o.name_en, nameAr: o.name_ar, priceMinor: Number(o.price_minor),
      })),
    })),
    staff: staff.rows.map((s) => ({
      id: s.id, name: s.name, role: s.role, pin: { salt: s.pin_salt, iterations: s.pin_iterations, hash: s.pin_hash },
    })),
  });
}

/** The ETA branch address as one printed line: "12 Talaat Harb St, Downtown, Cairo". */
function printedAddress(a: BranchFiscalProfile['address']): string {
  return [`${a.buildingNumber} ${a.street}`.trim(), a.regionCity, a.governate].filter((part) => part !== '').join(', ');
}
