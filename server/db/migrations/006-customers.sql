-- Customers of a branch (takeaway and delivery, known dine-in guests), looked up by phone on the
-- tablet. The phone is the key a waiter types, so it is unique per branch; a customer typed
-- offline reaches the server later as an upsert on that key, which makes the replay harmless.

create table customers (
  id text primary key,
  tenant_id text not null references tenants(id),
  branch_id text not null references branches(id),
  phone text not null,
  name text not null,
  -- delivery addresses, most recently used first
  addresses jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (branch_id, phone)
);
create index customers_branch_updated on customers (branch_id, updated_at);
