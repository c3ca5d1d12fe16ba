import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  countPendingCustomers,
  findCachedCustomers,
  isCompletePhone,
  lookupCustomer,
  normalisePhone,
  saveCustomerLocally,
  syncCustomers,
} from './customer-cache';
import { localStore } from './local-store';

// The tablet is offline for this file: nothing here may reach for the network.
beforeAll(() => {
  vi.stubGlobal('navigator', { onLine: false });
  vi.stubGlobal('fetch', () => Promise.reject(new Error('offline')));
});

describe('tablet customer cache', () => {
  it('[CUS-05] finds cached customers of this branch by phone prefix, offline', async () => {
    await localStore.customers.bulkPut([
      { branchId: 'cairo', phone: '01001234567', data: { id: 'cus_1', phone: '01001234567', name: 'Nour', addresses: ['12 Tahrir St'] } },
      { branchId: 'cairo', phone: '01009999999', data: { id: 'cus_2', phone: '01009999999', name: 'Omar', addresses: [] } },
      { branchId: 'cairo', phone: '01111111111', data: { id: 'cus_3', phone: '01111111111', name: 'Hoda', addresses: [] } },
      { branchId: 'alex', phone: '01001230000', data: { id: 'cus_4', phone: '01001230000', name: 'Alex only', addresses: [] } },
      // written by some older app version: skipped, not a crash
      { branchId: 'cairo', phone: '01000000000', data: { phone: 12 } },
    ]);
    expect((await findCachedCustomers('cairo', '0100')).map((c) => c.name).sort()).toEqual(['Nour', 'Omar']);
    expect((await findCachedCustomers('cairo', '010 0123')).map((c) => c.name)).toEqual(['Nour']);
    expect(await findCachedCustomers('cairo', '01')).toEqual([]);
    expect((await lookupCustomer('cairo', 'dev_x', '01001234567'))?.name).toBe('Nour');
    expect(await lookupCustomer('cairo', 'dev_x', '01007777777')).toBeNull();
  });

  it('[CUS-06] a customer typed offline is cached as pending, with a new address put first', async () => {
    const fresh = await saveCustomerLocally('cairo', { phone: '01225556667', name: ' Mona ', address: '9 Road 9' });
    expect(fresh).toEqual({ id: null, phone: '01225556667', name: 'Mona', addresses: ['9 Road 9'] });
    const known = await saveCustomerLocally('cairo', { phone: '01001234567', name: 'Nour', address: '5 Nile St' });
    expect(known).toEqual({ id: 'cus_1', phone: '01001234567', name: 'Nour', addresses: ['5 Nile St', '12 Tahrir St'] });
    expect(await countPendingCustomers('cairo')).toBe(2);
    expect(await countPendingCustomers('alex')).toBe(0);
    // offline, a sync does nothing and keeps them pending
    await syncCustomers('cairo', 'dev_x', new Y.Doc());
    expect(await countPendingCustomers('cairo')).toBe(2);
  });

  it('cleans a typed phone and tells a complete one', () => {
    expect(normalisePhone(' 0100 123-45 67 ')).toBe('01001234567');
    expect(normalisePhone('+20 (100) 123')).toBe('+20100123');
    expect(isCompletePhone('01001234567')).toBe(true);
    expect(isCompletePhone('0100')).toBe(false);
  });
});
