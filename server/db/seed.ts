/**
 * Demo data for an empty database: tenant "Demo Bistro" with two branches, floor plans, menus,
 * staff and taxes (VAT 14 %, dine-in service 12 %). `npm start` runs it when no tenant exists;
 * tests use it as their fixture so they exercise the same data a newcomer sees.
 */
import { hashPassword, newPinHash } from '../auth/secrets';
import type { Database, Queryable } from './database';
import { seedFiscalDemo } from './fiscal-device-queries';

export const DEMO_PASSWORD = 'demo-manager';

export const DEMO_LOGINS = [
  { email: 'manager@demo.restoflow.test', password: DEMO_PASSWORD, who: 'Mona, manager of both branches' },
  { email: 'cairo.manager@demo.restoflow.test', password: DEMO_PASSWORD, who: 'Hany, manager of Cairo Downtown only' },
] as const;

export const DEMO_PINS = [
  { userId: 'mona', name: 'Mona', role: 'manager', pin: '9999', branches: ['cairo', 'alex'] },
  { userId: 'hany', name: 'Hany', role: 'manager', pin: '8888', branches: ['cairo'] },
  { userId: 'sara', name: 'Sara', role: 'waiter', pin: '1111', branches: ['cairo'] },
  { userId: 'nour', name: 'Nour', role: 'waiter', pin: '5555', branches: ['cairo'] },
  { userId: 'karim', name: 'Karim', role: 'kitchen', pin: '3333', branches: ['cairo'] },
  { userId: 'omar', name: 'Omar', role: 'waiter', pin: '2222', branches: ['alex'] },
  { userId: 'laila', name: 'Laila', role: 'kitchen', pin: '4444', branches: ['alex'] },
] as const;

const BRANCHES = [
  { id: 'cairo', nameEn: 'Cairo Downtown', nameAr: 'وسط البلد - القاهرة' },
  { id: 'alex', nameEn: 'Alexandria Corniche', nameAr: 'كورنيش الإسكندرية' },
] as const;

const CATEGORIES = [
  { key: 'starters', en: 'Starters', ar: 'مقبلات' },
  { key: 'mains', en: 'Mains', ar: 'أطباق رئيسية' },
  { key: 'grills', en: 'Grills', ar: 'مشويات' },
  { key: 'desserts', en: 'Desserts', ar: 'حلويات' },
  { key: 'drinks', en: 'Drinks', ar: 'مشروبات' },
] as const;

/** [key, category, English, Arabic, price in EGP, station, modifier groups] */
const ITEMS: [string, string, string, string, number, string, string[]][] = [
  ['hummus', 'starters', 'Hummus', 'حمص', 45, 'cold', []],
  ['baba-ghanoush', 'starters', 'Baba Ghanoush', 'بابا غنوج', 45, 'cold', []],
  ['tahini-salad', 'starters', 'Tahini Salad', 'سلطة طحينة', 35, 'cold', []],
  ['green-salad', 'starters', 'Green Salad', 'سلطة خضراء', 40, 'cold', []],
  ['falafel', 'starters', 'Falafel Plate', 'طبق طعمية', 40, 'hot', []],
  ['vine-leaves', 'starters', 'Stuffed Vine Leaves', 'ورق عنب', 60, 'cold', []],
  ['koshari', 'mains', 'Koshari', 'كشري', 55, 'hot', ['size', 'extras']],
  ['molokhia', 'mains', 'Molokhia with Chicken', 'ملوخية بالفراخ', 140, 'hot', []],
  ['mahshi', 'mains', 'Mahshi Platter', 'طبق محشي', 120, 'hot', []],
  ['fattah', 'mains', 'Fattah with Lamb', 'فتة باللحم الضاني', 190, 'hot', []],
  ['macaroni-bechamel', 'mains', 'Macaroni Béchamel', 'مكرونة بشاميل', 95, 'hot', []],
  ['hawawshi', 'mains', 'Hawawshi', 'حواوشي', 85, 'grill', ['extras']],
  ['kofta', 'grills', 'Kofta', 'كفتة', 160, 'grill', []],
  ['shish-tawook', 'grills', 'Shish Tawook', 'شيش طاووق', 150, 'grill', []],
  ['beef-steak', 'grills', 'Beef Steak', 'ستيك لحم', 320, 'grill', ['doneness']],
  ['mixed-grill', 'grills', 'Mixed Grill', 'مشويات مشكلة', 280, 'grill', []],
  ['half-chicken', 'grills', 'Grilled Half Chicken', 'نص فرخة مشوية', 170, 'grill', []],
  ['om-ali', 'desserts', 'Om Ali', 'أم علي', 65, 'pastry', []],
  ['basbousa', 'desserts', 'Basbousa', 'بسبوسة', 40, 'pastry', []],
  ['konafa', 'desserts', 'Konafa', 'كنافة', 60, 'pastry', []],
  ['rice-pudding', 'desserts', 'Rice Pudding', 'أرز باللبن', 35, 'pastry', []],
  ['karkadeh', 'drinks', 'Hibiscus (Karkadeh)', 'كركديه', 30, 'bar', []],
  ['sugarcane', 'drinks', 'Sugarcane Juice', 'عصير قصب', 30, 'bar', []],
  ['mint-lemonade', 'drinks', 'Mint Lemonade', 'ليمون بالنعناع', 45, 'bar', []],
  ['turkish-coffee', 'drinks', 'Turkish Coffee', 'قهوة تركي', 35, 'bar', ['sugar']],
  ['mint-tea', 'drinks', 'Tea with Mint', 'شاي بالنعناع', 20, 'bar', []],
  ['mango-juice', 'drinks', 'Mango Juice', 'عصير مانجو', 50, 'bar', []],
  ['water', 'drinks', 'Mineral Water', 'مياه معدنية', 15, 'bar', []],
];

/** [key, English, Arabic, min, max, options [key, English, Arabic, price EGP]] */
const MODIFIER_GROUPS: [string, string, string, number, number, [string, string, string, number][]][] = [
  ['size', 'Size', 'الحجم', 1, 1, [['regular', 'Regular', 'عادي', 0], ['large', 'Large', 'كبير', 15]]],
  ['doneness', 'Doneness', 'درجة الاستواء', 1, 1, [
    ['rare', 'Rare', 'نصف سوي', 0], ['medium', 'Medium', 'متوسط', 0], ['well-done', 'Well done', 'مستوي جيداً', 0],
  ]],
  ['sugar', 'Sugar', 'السكر', 1, 1, [
    ['no-sugar', 'No sugar', 'سادة', 0], ['medium-sugar', 'Medium', 'مظبوط', 0], ['sweet', 'Sweet', 'زيادة', 0],
  ]],
  ['extras', 'Extras', 'إضافات', 0, 3, [
    ['extra-onions', 'Crispy onions', 'بصل مقرمش', 5], ['extra-sauce', 'Extra sauce', 'صلصة زيادة', 0],
    ['extra-cheese', 'Cheese', 'جبنة', 15],
  ]],
];

/** Kitchen stations the items above name: [id, English, Arabic]. Printers are set by a manager. */
const STATIONS: [string, string, string][] = [
  ['grill', 'Grill', 'المشويات'],
  ['hot', 'Hot kitchen', 'المطبخ الساخن'],
  ['cold', 'Cold kitchen', 'المطبخ البارد'],
  ['pastry', 'Pastry', 'الحلويات'],
  ['bar', 'Bar', 'البار'],
];

/** Prep-time targets in minutes for items that differ from the default 10. */
const PREP_MINUTES: Record<string, number> = {
  hummus: 5, 'baba-ghanoush': 5, 'tahini-salad': 5, 'green-salad': 5, 'vine-leaves': 5, falafel: 8,
  koshari: 8, fattah: 15, 'macaroni-bechamel': 12, kofta: 15, 'shish-tawook': 15, 'beef-steak': 18,
  'mixed-grill': 20, 'half-chicken': 20, 'om-ali': 12, karkadeh: 3, sugarcane: 3, 'mint-lemonade': 4,
  'turkish-coffee': 4, 'mint-tea': 3, 'mango-juice': 3, water: 1,
};

const piastres = (egp: number) => Math.round(egp * 100);

export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ n: string | number }>('select count(*) as n from tenants');
  return Number(rows[0]?.n ?? 0) === 0;
}

export async function seedDemoData(db: Database): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const pinHashes = await Promise.all(DEMO_PINS.map((p) => newPinHash(p.pin)));
  await db.transact(async (tx) => {
    await tx.query(
      `insert into tenants (id, name, vat_rate_bp, service_charge_rate_bp) values ('demo', 'Demo Bistro', 1400, 1200)`,
    );
    for (const b of BRANCHES) {
      await tx.query(`insert into branches (id, tenant_id, name_en, name_ar) values ($1, 'demo', $2, $3)`, [
        b.id, b.nameEn, b.nameAr,
      ]);
      await tx.query(`insert into zones (id, branch_id, name_en, name_ar, sort) values ($1, $2, 'Indoor', 'الصالة', 1),
        ($3, $2, 'Terrace', 'التراس', 2)`, [`${b.id}-indoor`, b.id, `${b.id}-terrace`]);
      for (let n = 1; n <= 14; n++) {
        await tx.query(
          'insert into dining_tables (id, branch_id, zone_id, label, seats, sort) values ($1, $2, $3, $4, $5, $6)',
          [`${b.id}-t${n}`, b.id, `${b.id}-${n <= 8 ? 'indoor' : 'terrace'}`, `T${n}`, n <= 8 ? 4 : 2, n],
        );
      }
      for (const [i, c] of CATEGORIES.entries()) {
        await tx.query('insert into menu_categories (id, branch_id, name_en, name_ar, sort) values ($1, $2, $3, $4, $5)', [
          `${b.id}-${c.key}`, b.id, c.en, c.ar, i,
        ]);
      }
      for (const [key, en, ar, min, max, options] of MODIFIER_GROUPS) {
        const groupId = `${b.id}-${key}`;
        await tx.query(
          'insert into modifier_groups (id, branch_id, name_en, name_ar, min_select, max_select) values ($1, $2, $3, $4, $5, $6)',
          [groupId, b.id, en, ar, min, max],
        );
        for (const [i, [optKey, optEn, optAr, price]] of options.entries()) {
          await tx.query(
            'insert into modifier_options (id, group_id, name_en, name_ar, price_minor, sort) values ($1, $2, $3, $4, $5, $6)',
            [`${groupId}-${optKey}`, groupId, optEn, optAr, piastres(price), i],
          );
        }
      }
      for (const [i, [id, en, ar]] of STATIONS.entries()) {
        await tx.query('insert into stations (branch_id, id, name_en, name_ar, sort) values ($1, $2, $3, $4, $5)', [b.id, id, en, ar, i]);
      }
      for (const [i, [key, category, en, ar, price, station, groups]] of ITEMS.entries()) {
        const itemId = `${b.id}-${key}`;
        await tx.query(
          `insert into menu_items (id, branch_id, category_id, name_en, name_ar, price_minor, station, sort)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [itemId, b.id, `${b.id}-${category}`, en, ar, piastres(price), station, i],
        );
        if (PREP_MINUTES[key] !== undefined) {
          await tx.query('update menu_items set prep_minutes = $2 where id = $1', [itemId, PREP_MINUTES[key]]);
        }
        for (const [j, g] of groups.entries()) {
          await tx.query('insert into menu_item_modifier_groups (item_id, group_id, sort) values ($1, $2, $3)', [
            itemId, `${b.id}-${g}`, j,
          ]);
        }
      }
    }
    for (const [i, person] of DEMO_PINS.entries()) {
      const login = person.userId === 'mona' ? DEMO_LOGINS[0].email : person.userId === 'hany' ? DEMO_LOGINS[1].email : null;
      const pin = pinHashes[i]!;
      await tx.query(
        `insert into users (id, tenant_id, name, role, email, password_hash, pin_salt, pin_iterations, pin_hash)
         values ($1, 'demo', $2, $3, $4, $5, $6, $7, $8)`,
        [person.userId, person.name, person.role, login, login ? passwordHash : null, pin.salt, pin.iterations, pin.hash],
      );
      for (const branchId of person.branches) {
        await tx.query('insert into user_branches (user_id, branch_id) values ($1, $2)', [person.userId, branchId]);
      }
    }
    await seedFiscalDemo(tx, BRANCHES);
  });
}
