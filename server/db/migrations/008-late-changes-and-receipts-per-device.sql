-- Two tablets that both took payment for one order while cut off from each other have each issued
-- an ETA receipt into their own chain. Both are legal documents and both must be kept and
-- submitted (a device chain with a receipt missing breaks at ETA), so a receipt is unique per
-- order and issuing device, not per order [FIS-60].
alter table fiscal_receipt_checks drop constraint fiscal_receipt_checks_order_id_key;
alter table fiscal_receipt_checks add constraint fiscal_receipt_checks_order_device unique (order_id, device_serial);

-- A device that changed an order after the server had settled it (it was offline meanwhile): the
-- change is taken but applied to nothing, and recorded for the manager with what the device meant
-- [SYNC-12].
alter table audit_log drop constraint audit_log_action_check;
alter table audit_log add constraint audit_log_action_check
  check (action in ('void', 'discount', 'refund', 'pay-in', 'pay-out', 'shift-open', 'shift-close', 'late-change'));
