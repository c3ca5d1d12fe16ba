-- Reference data (owned by the server, cached on devices), people and devices, the live
-- documents' update log, and settled history. Money is integer piastres (bigint); rates are
-- basis points (1400 = 14 %).

create table tenants (
  id text primary key,
  name text not null,
  vat_rate_bp integer not null check (vat_rate_bp between 0 and 10000),
  service_charge_rate_bp integer not null check (service_charge_rate_bp between 0 and 10000),
  created_at timestamptz not null default now()
);

create table branches (
  id text primary key,
  tenant_id text not null references tenants(id),
  name_en text not null,
  name_ar text not null,
  currency text not null default 'EGP',
  -- grows on every change of the branch's reference data, so devices know their cache is stale
  catalog_version integer not null default 1
);

create table zones (
  id text primary key,
  branch_id text not null references branches(id),
  name_en text not null,
  name_ar text not null,
  sort integer not null default 0
);
create index zones_branch on zones (branch_id);

create table dining_tables (
  id text primary key,
  branch_id text not null references branches(id),
  zone_id text not null references zones(id),
  label text not null,
  seats integer not null check (seats > 0),
  sort integer not null default 0,
  unique (branch_id, label)
);
create index dining_tables_branch on dining_tables (branch_id);

create table menu_categories (
  id text primary key,
  branch_id text not null references branches(id),
  name_en text not null,
  name_ar text not null,
  sort integer not null default 0
);
create index menu_categories_branch on menu_categories (branch_id);

create table modifier_groups (
  id text primary key,
  branch_id text not null references branches(id),
  name_en text not null,
  name_ar text not null,
  min_select integer not null check (min_select >= 0),
  max_select integer not null check (max_select >= 1),
  check (min_select <= max_select)
);
create index modifier_groups_branch on modifier_groups (branch_id);

create table modifier_options (
  id text primary key,
  group_id text not null references modifier_groups(id),
  name_en text not null,
  name_ar text not null,
  price_minor bigint not null check (price_minor >= 0),
  sort integer not null default 0
);
create index modifier_options_group on modifier_options (group_id);

create table menu_items (
  id text primary key,
  branch_id text not null references branches(id),
  category_id text not null references menu_categories(id),
  name_en text not null,
  name_ar text not null,
  price_minor bigint not null check (price_minor >= 0),
  station text not null,
  sort integer not null default 0,
  active boolean not null default true
);
create index menu_items_branch on menu_items (branch_id);

create table menu_item_modifier_groups (
  item_id text not null references menu_items(id),
  group_id text not null references modifier_groups(id),
  sort integer not null default 0,
  primary key (item_id, group_id)
);

create table users (
  id text primary key,
  tenant_id text not null references tenants(id),
  name text not null,
  role text not null check (role in ('manager', 'waiter', 'kitchen')),
  email text unique,
  password_hash text,
  pin_salt text not null,
  pin_iterations integer not null,
  pin_hash text not null,
  active boolean not null default true
);

create table user_branches (
  user_id text not null references users(id),
  branch_id text not null references branches(id),
  primary key (user_id, branch_id)
);
create index user_branches_branch on user_branches (branch_id);

create table sessions (
  token_hash text primary key,
  user_id text not null references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

create table devices (
  id text primary key,
  branch_id text not null references branches(id),
  kind text not null check (kind in ('pos', 'kds')),
  name text not null,
  token_hash text not null unique,
  paired_by text not null references users(id),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index devices_branch on devices (branch_id);

-- Every accepted Yjs update of a room, in arrival order; a room's document is their merge.
create table yjs_updates (
  id bigserial primary key,
  room text not null,
  update bytea not null,
  created_at timestamptz not null default now()
);
create index yjs_updates_room on yjs_updates (room, id);

-- Settled history. The order id is the id the tablet generated: a replay collides on it.
create table orders (
  id uuid primary key,
  branch_id text not null references branches(id),
  order_type text not null,
  table_id text references dining_tables(id),
  guests integer not null,
  opened_by text not null,
  device_id text not null,
  opened_at timestamptz not null,
  paid_at timestamptz not null,
  settled_at timestamptz not null default now(),
  subtotal_minor bigint not null,
  service_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null,
  paid_minor bigint not null,
  change_minor bigint not null
);
create index orders_branch_paid on orders (branch_id, paid_at);

create table order_lines (
  order_id uuid not null references orders(id),
  line_id uuid not null,
  item_id text not null,
  name_en text not null,
  name_ar text not null,
  qty integer not null,
  unit_price_minor bigint not null,
  modifiers jsonb not null,
  note text not null,
  net_minor bigint not null,
  service_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null,
  primary key (order_id, line_id)
);

create table payments (
  order_id uuid not null references orders(id),
  payment_id uuid not null,
  method text not null,
  amount_minor bigint not null,
  tendered_minor bigint not null,
  change_minor bigint not null,
  taken_by text not null,
  taken_at timestamptz not null,
  primary key (order_id, payment_id)
);

-- Paid orders the server refused to settle, for a manager to review (never dropped).
create table settlement_rejections (
  order_id uuid primary key,
  branch_id text not null references branches(id),
  code text not null,
  message text not null,
  details jsonb,
  order_snapshot jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index settlement_rejections_branch on settlement_rejections (branch_id, created_at);
