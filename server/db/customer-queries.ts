import { randomBytes } from 'node:crypto';
import { customerSchema, withAddressFirst, type Customer } from '../../shared/schemas/customer';
import type { Database, Queryable } from './database';

interface CustomerRow {
  id: string;
  branch_id: string;
  phone: string;
  name: string;
  addresses: unknown;
  updated_at: string | Date;
}

const COLUMNS = 'id, branch_id, phone, name, addresses, updated_at';

function toCustomer(row: CustomerRow): Customer {
  // pg parses jsonb; PGlite too. A string would be a driver that does not: parse it here.
  const addresses = typeof row.addresses === 'string' ? (JSON.parse(row.addresses) as unknown) : row.addresses;
  return customerSchema.parse({
    id: row.id,
    branchId: row.branch_id,
    phone: row.phone,
    name: row.name,
    addresses,
    updatedAt: new Date(row.updated_at).toISOString(),
  });
}

export async function findCustomerByPhone(db: Queryable, branchId: string, phone: string): Promise<Customer | null> {
  const { rows } = await db.query<CustomerRow>(`select ${COLUMNS} from customers where branch_id = $1 and phone = $2`, [branchId, phone]);
  return rows[0] ? toCustomer(rows[0]) : null;
}

export async function findCustomerById(db: Queryable, branchId: string, id: string): Promise<Customer | null> {
  const { rows } = await db.query<CustomerRow>(`select ${COLUMNS} from customers where branch_id = $1 and id = $2`, [branchId, id]);
  return rows[0] ? toCustomer(rows[0]) : null;
}

/** The branch's customers, most recently changed first (what a tablet caches for offline lookup). */
export async function listCustomers(db: Queryable, branchId: string, limit: number): Promise<Customer[]> {
  const { rows } = await db.query<CustomerRow>(
    `select ${COLUMNS} from customers where branch_id = $1 order by updated_at desc, id limit $2`,
    [branchId, limit],
  );
  return rows.map(toCustomer);
}

/**
 * Creates the customer with this phone, or updates the existing one (name replaced, address put
 * first). Insert-or-nothing first, then a locked read, so two tablets saving the same phone at
 * once still leave one row and neither address is lost.
 */
export async function upsertCustomer(
  db: Database,
  input: { tenantId: string; branchId: string; phone: string; name: string; address: string | null },
): Promise<{ customer: Customer; isCreated: boolean }> {
  return db.transact(async (tx) => {
    const inserted = await tx.query<CustomerRow>(
      `insert into customers (id, tenant_id, branch_id, phone, name, addresses) values ($1, $2, $3, $4, $5, $6::jsonb)
       on conflict (branch_id, phone) do nothing returning ${COLUMNS}`,
      [`cus_${randomBytes(8).toString('hex')}`, input.tenantId, input.branchId, input.phone, input.name,
        JSON.stringify(withAddressFirst([], input.address))],
    );
    if (inserted.rows[0]) return { customer: toCustomer(inserted.rows[0]), isCreated: true };
    const existing = await tx.query<CustomerRow>(
      `select ${COLUMNS} from customers where branch_id = $1 and phone = $2 for update`, [input.branchId, input.phone]);
    const current = toCustomer(existing.rows[0]!);
    const updated = await tx.query<CustomerRow>(
      `update customers set name = $2, addresses = $3::jsonb, updated_at = now() where id = $1 returning ${COLUMNS}`,
      [current.id, input.name, JSON.stringify(withAddressFirst(current.addresses, input.address))],
    );
    return { customer: toCustomer(updated.rows[0]!), isCreated: false };
  });
}

export async function updateCustomer(
  db: Queryable,
  branchId: string,
  id: string,
  patch: { name?: string | undefined; addresses?: string[] | undefined },
): Promise<Customer | null> {
  const { rows } = await db.query<CustomerRow>(
    `update customers set name = coalesce($3, name), addresses = coalesce($4::jsonb, addresses), updated_at = now()
      where branch_id = $1 and id = $2 returning ${COLUMNS}`,
    [branchId, id, patch.name ?? null, patch.addresses === undefined ? null : JSON.stringify(patch.addresses)],
  );
  return rows[0] ? toCustomer(rows[0]) : null;
}

export async function tenantOfBranch(db: Queryable, branchId: string): Promise<string | null> {
  const { rows } = await db.query<{ tenant_id: string }>('select tenant_id from branches where id = $1', [branchId]);
  return rows[0]?.tenant_id ?? null;
}
