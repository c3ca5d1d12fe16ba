-- Issue 4 points 4 and 7: what the order model v2 adds to settled history (seats, courses, voids
-- and discounts with who/why, customers, tips, split parts, the device that took each payment),
-- the audit log, refunds of settled orders, and cash-drawer shifts.

-- Existing settled lines had no discounts: their gross is their net.
alter table order_lines
  add column seat integer,
  add column course integer not null default 1,
  add column gross_minor bigint,
  add column discount_minor bigint not null default 0,
  -- what a voided line would have cost (its priced amounts are all 0)
  add column void_minor bigint not null default 0,
  add column void_reason text,
  add column void_by text,
  add column void_approved_by text,
  add column void_at timestamptz,
  add column discount_kind text check (discount_kind in ('percent', 'amount')),
  add column discount_value bigint,
  add column discount_reason text,
  add column discount_by text,
  add column discount_approved_by text,
  add column discount_at timestamptz;
update order_lines set gross_minor = net_minor where gross_minor is null;
alter table order_lines alter column gross_minor set not null;

alter table orders
  add column discount_minor bigint not null default 0,
  add column discount_kind text check (discount_kind in ('percent', 'amount')),
  add column discount_value bigint,
  add column discount_reason text,
  add column discount_by text,
  add column discount_approved_by text,
  add column discount_at timestamptz,
  add column customer_id text,
  add column customer_name text,
  add column customer_phone text,
  add column customer_address text,
  add column tip_minor bigint not null default 0,
  -- [SHIFT-02] the device that took the order's last payment: the order counts to its shift
  add column paid_device_id text;
update orders set paid_device_id = device_id where paid_device_id is null;
alter table orders alter column paid_device_id set not null;
create index orders_paid_device on orders (paid_device_id, paid_at);

alter table payments
  add column tip_minor bigint not null default 0,
  add column part text,
  add column device_id text;
update payments p set device_id = o.device_id from orders o where o.id = p.order_id and p.device_id is null;
alter table payments alter column device_id set not null;
create index payments_device_taken on payments (device_id, taken_at);

-- A cash drawer's day: opened with a float on one POS device, closed with the counted cash.
create table shifts (
  id uuid primary key,
  branch_id text not null references branches(id),
  device_id text not null references devices(id),
  opened_by text not null,
  opened_approved_by text,
  opened_at timestamptz not null default now(),
  float_minor bigint not null check (float_minor >= 0),
  closed_by text,
  closed_approved_by text,
  closed_at timestamptz,
  -- denomination (piastres) → count, as counted at close
  counts jsonb,
  expected_cash_minor bigint,
  counted_cash_minor bigint,
  difference_minor bigint,
  -- the Z report as printed at close (figures frozen at that moment)
  z_report jsonb
);
-- [SHIFT-01] one open shift per device
create unique index shifts_one_open_per_device on shifts (device_id) where closed_at is null;
create index shifts_branch on shifts (branch_id, opened_at);

create table cash_movements (
  id uuid primary key,
  shift_id uuid not null references shifts(id),
  branch_id text not null references branches(id),
  kind text not null check (kind in ('pay-in', 'pay-out')),
  amount_minor bigint not null check (amount_minor > 0),
  reason text not null,
  by_staff text not null,
  approved_by text,
  at timestamptz not null default now()
);
create index cash_movements_shift on cash_movements (shift_id);

-- Refunds of settled orders; `fiscal_receipt_uuid` stays null until the fiscal RC receipt is issued.
create table refunds (
  id uuid primary key,
  branch_id text not null references branches(id),
  order_id uuid not null references orders(id),
  method text not null check (method in ('cash', 'card', 'wallet')),
  reason text not null,
  by_staff text not null,
  approved_by text,
  -- [SHIFT-05] the drawer the money left (cash refunds count to its shift)
  device_id text not null,
  created_at timestamptz not null default now(),
  net_minor bigint not null,
  service_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null check (total_minor >= 0),
  fiscal_receipt_uuid text
);
create index refunds_order on refunds (order_id);
create index refunds_device on refunds (device_id, created_at);

create table refund_lines (
  refund_id uuid not null references refunds(id),
  order_id uuid not null,
  line_id uuid not null,
  qty integer not null check (qty > 0),
  net_minor bigint not null,
  service_minor bigint not null,
  vat_minor bigint not null,
  total_minor bigint not null,
  primary key (refund_id, line_id),
  foreign key (order_id, line_id) references order_lines(order_id, line_id)
);
create index refund_lines_line on refund_lines (order_id, line_id);

-- Who did what, when and why: voids, discounts, refunds, pay-ins/outs, shift open/close. An
-- entry done on someone else's authority (a manager's PIN) names them in approved_by.
create table audit_log (
  id bigserial primary key,
  branch_id text not null references branches(id),
  at timestamptz not null,
  action text not null check (action in ('void', 'discount', 'refund', 'pay-in', 'pay-out', 'shift-open', 'shift-close')),
  actor text not null,
  approved_by text,
  reason text,
  order_id uuid,
  line_id uuid,
  shift_id uuid,
  refund_id uuid,
  amount_minor bigint,
  details jsonb
);
create index audit_log_branch_at on audit_log (branch_id, at);
create index audit_log_order on audit_log (order_id) where order_id is not null;
