-- Fiscal identity of branches and paying devices, and the server's verification of the receipts
-- tablets issue (docs/FISCAL.md, FIS-50..58). Additive: nothing of 001/002 changes meaning.

-- What every receipt of a branch says about the seller (ETA `seller` block, minus the serial).
create table branch_fiscal_profiles (
  branch_id text primary key references branches(id),
  rin text not null check (rin ~ '^[0-9]{9}$'),
  company_trade_name text not null,
  branch_code text not null,
  activity_code text not null check (activity_code ~ '^[0-9]{4}$'),
  -- ETA branchAddress {country, governate, regionCity, street, buildingNumber, …}
  address jsonb not null
);

-- ETA POS serials registered on the portal for a branch. A paying device takes a free one the
-- first time it asks for its fiscal profile and keeps it (its receipt chain is that serial's).
create table fiscal_pos_serials (
  serial text primary key,
  branch_id text not null references branches(id),
  device_id text unique references devices(id),
  assigned_at timestamptz,
  created_at timestamptz not null default now()
);
create index fiscal_pos_serials_branch on fiscal_pos_serials (branch_id, serial);

-- Every receipt a tablet put into a live document, as received, and what the server made of it:
-- AWAITING (its predecessor in the device's chain, or its order's settlement, has not arrived
-- yet), VERIFIED (queued for ETA: it is then also in fiscal_receipts) or UNVERIFIABLE (never sent;
-- reason kept for the manager). chain_pos orders a device's chained receipts.
create table fiscal_receipt_checks (
  uuid text primary key,
  order_id uuid not null unique,
  branch_id text not null references branches(id),
  device_id text not null,
  device_serial text not null,
  receipt_number text not null,
  previous_uuid text not null,
  issued_at timestamptz not null,
  document text not null,
  status text not null default 'AWAITING' check (status in ('AWAITING', 'VERIFIED', 'UNVERIFIABLE')),
  chain_pos integer,
  reason text,
  message text,
  received_at timestamptz not null default now(),
  checked_at timestamptz,
  unique (device_serial, chain_pos)
);
create index fiscal_receipt_checks_waiting on fiscal_receipt_checks (branch_id, device_serial) where status = 'AWAITING';
create index fiscal_receipt_checks_previous on fiscal_receipt_checks (device_serial, previous_uuid);

-- A manager's correction of a rejected receipt: the new receipt names the old one
-- (referenceOldUUID); one correction per rejected receipt.
alter table fiscal_receipts add column corrects_uuid text unique references fiscal_receipts(uuid);
