-- Kitchen stations per branch (issue 5): where each menu item's tickets go, which network
-- printers print them, and how long an item should take. A menu item's `station` text names a
-- station of its branch by id; stations are reference data served to devices in the catalog.

create table stations (
  branch_id text not null references branches(id),
  -- matches menu_items.station (grill, cold, bar, pastry …)
  id text not null,
  name_en text not null,
  name_ar text not null,
  -- raw-TCP ESC/POS printer (port 9100); no host = the station works from its screen only
  printer_host text,
  printer_port integer not null default 9100 check (printer_port between 1 and 65535),
  backup_host text,
  backup_port integer not null default 9100 check (backup_port between 1 and 65535),
  -- when both printers fail, the kitchen screen flags the ticket as "not printed" (the ticket is
  -- on the screens either way; with false the tablet is told to warn the kitchen in person)
  fallback_to_screen boolean not null default true,
  sort integer not null default 0,
  primary key (branch_id, id),
  check (backup_host is null or printer_host is not null),
  check (backup_host is null or backup_host <> printer_host or backup_port <> printer_port)
);

-- Prep-time target: a ticket turns amber, then red, as it ages past its slowest item's target.
alter table menu_items add column prep_minutes integer not null default 10 check (prep_minutes between 1 and 240);

-- The branch's wall clock, for the time printed on kitchen tickets.
alter table branches add column time_zone text not null default 'Africa/Cairo';

-- Stations for branches that already have menus (a database seeded before this migration).
insert into stations (branch_id, id, name_en, name_ar)
  select distinct branch_id, station, initcap(station), station from menu_items
  on conflict do nothing;

-- Every kitchen ticket the server has taken on to print, so each prints once even across relay
-- restarts and with several relays: the first to insert the row prints it. `finished_at` null
-- with an old `claimed_at` means the relay that claimed it died mid-print; another takes over
-- (a second copy rather than a lost ticket).
create table ticket_prints (
  ticket_id uuid primary key,
  branch_id text not null references branches(id),
  station_id text not null,
  claimed_at timestamptz not null default now(),
  claimed_by text not null,
  finished_at timestamptz,
  -- printed | failed (no printer took it) | skipped (the station has no printer: screen only)
  status text check (status in ('printed', 'failed', 'skipped')),
  -- what the tablets and kitchen screens are shown (shared/schemas/print-job.ts), null when skipped
  job jsonb,
  attempts integer not null default 0
);
create index ticket_prints_unfinished on ticket_prints (claimed_at) where finished_at is null
