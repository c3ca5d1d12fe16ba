import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { FiscalReceiptEntry } from '../../shared/eta/receipt-entry';
import { receiptKey, receiptsRoot, writeReceipt } from '../../shared/live-doc';
import { REFUSAL_REASON } from '../../shared/protocol';
import { inspectUpdate } from './update-inspection';
import { checkWrites, type WriterKind } from './write-policy';

const ORDER = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000a2';
const entry = (orderId: string, uuid = 'a'.repeat(64)): FiscalReceiptEntry => ({
  orderId, deviceId: 'pos-1', serial: 'RF-CAIRO-POS-01', receiptNumber: 'RF-CAIRO-POS-01-000001', uuid, previousUUID: '',
  issuedAt: 1, qrLink: 'https://invoicing.eta.gov.eg/receipts/search/x/share/y#Total:1,IssuerRIN:123456789', document: '{"header":{}}',
});

function setup() {
  const server = new Y.Doc();
  writeReceipt(server, entry(ORDER));
  const check = (writer: WriterKind, change: (replica: Y.Doc) => void) => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    change(replica);
    return checkWrites(server, writer, inspectUpdate(server, Y.mergeUpdates(updates)).writes)?.reason ?? 'ok';
  };
  return { check };
}

describe('write policy: receipts', () => {
  it('[FIS-52] a tablet inserts one valid receipt entry under its order and device', () => {
    const { check } = setup();
    const other = entry(OTHER, 'b'.repeat(64));
    expect(check('tablet', (d) => writeReceipt(d, other))).toBe('ok');
    expect(check('tablet', (d) => receiptsRoot(d).set(receiptKey(other), { ...other, orderId: ORDER }))).toBe(REFUSAL_REASON.roleMayNotWrite);
    expect(check('tablet', (d) => receiptsRoot(d).set(receiptKey(other), { ...other, deviceId: 'pos-2' }))).toBe(REFUSAL_REASON.roleMayNotWrite);
    expect(check('tablet', (d) => receiptsRoot(d).set(OTHER, other))).toBe(REFUSAL_REASON.roleMayNotWrite);
    expect(check('tablet', (d) => receiptsRoot(d).set(receiptKey(other), { ...other, uuid: 'not-a-uuid' }))).toBe(REFUSAL_REASON.roleMayNotWrite);
  });

  it('[FIS-52] an issued receipt is never changed or removed', () => {
    const { check } = setup();
    const key = receiptKey(entry(ORDER));
    expect(check('tablet', (d) => receiptsRoot(d).set(key, entry(ORDER, 'c'.repeat(64))))).toBe(REFUSAL_REASON.receiptIssued);
    expect(check('tablet', (d) => receiptsRoot(d).delete(key))).toBe(REFUSAL_REASON.receiptIssued);
  });

  it('[FIS-60] a second device\'s receipt for the same order (both took payment offline) is a new entry, accepted', () => {
    const { check } = setup();
    const second = { ...entry(ORDER, 'd'.repeat(64)), deviceId: 'pos-2', serial: 'RF-CAIRO-POS-02', receiptNumber: 'RF-CAIRO-POS-02-000001' };
    expect(check('tablet', (d) => writeReceipt(d, second))).toBe('ok');
    // and the same device's receipt again is not written twice
    expect(check('tablet', (d) => writeReceipt(d, entry(ORDER, 'e'.repeat(64))))).toBe('ok'); // writeReceipt wrote nothing
    const replica = new Y.Doc();
    writeReceipt(replica, entry(ORDER));
    expect(writeReceipt(replica, entry(ORDER, 'e'.repeat(64)))).toBe(false);
    expect(writeReceipt(replica, second)).toBe(true);
  });

  it('[FIS-52] a kitchen screen never writes receipts', () => {
    const { check } = setup();
    expect(check('kitchen', (d) => writeReceipt(d, entry(OTHER, 'b'.repeat(64))))).toBe(REFUSAL_REASON.roleMayNotWrite);
  });
});
