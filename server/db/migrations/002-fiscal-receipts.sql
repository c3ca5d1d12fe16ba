-- Fiscal e-receipts (ETA) and their submission. A receipt's document is kept as the exact JSON
-- text that was hashed and will be sent: jsonb would re-order keys and rewrite numbers, and the
-- uuid is a hash of the text. States: PENDING → IN_PROGRESS → SUBMITTED | REJECTED, or back to
-- PENDING after a failed attempt, and DEAD_LETTER after too many.

-- One row per ETA POS serial: the lock a queue worker takes so one batch per device is in
-- flight, and the sequence that keeps the device's receipts in issue (chain) order.
create table fiscal_devices (
  serial text primary key,
  next_seq bigint not null default 0
);

create table fiscal_receipts (
  uuid text primary key check (uuid ~ '^[0-9a-f]{64}$'),
  device_serial text not null references fiscal_devices(serial),
  chain_seq bigint not null,
  branch_id text references branches(id),
  receipt_number text not null,
  receipt_type text not null,
  previous_uuid text not null,
  issued_at timestamptz not null,
  document text not null,
  document_bytes integer not null,
  state text not null default 'PENDING'
    check (state in ('PENDING', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED', 'DEAD_LETTER')),
  -- answers recorded so far; advanced in the transaction that records an answer, never before
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  -- the batch (and worker) holding an IN_PROGRESS row; a late answer for another claim is ignored
  claim_id text,
  claimed_at timestamptz,
  submission_id text,
  long_id text,
  last_error jsonb,
  enqueued_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (device_serial, chain_seq)
);
create index fiscal_receipts_pending on fiscal_receipts (device_serial, chain_seq) where state = 'PENDING';
create index fiscal_receipts_state on fiscal_receipts (state, next_attempt_at);
create index fiscal_receipts_claim on fiscal_receipts (claim_id) where claim_id is not null;

-- Every submission attempt: one row per HTTP exchange with ETA (or failure to have one).
create table fiscal_submission_log (
  id bigserial primary key,
  claim_id text not null,
  device_serial text not null,
  receipt_uuids text[] not null,
  payload_bytes integer not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  http_status integer,
  outcome text not null,
  submission_id text,
  retry_after_ms integer,
  error text,
  details jsonb
);
create index fiscal_submission_log_device on fiscal_submission_log (device_serial, id);
