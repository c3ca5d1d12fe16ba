/**
 * Who unlocked this tablet. Kept in sessionStorage, so a reload of the same tab (the service
 * worker's auto-update reloads the page) does not lock a waiter out mid-order, while closing the
 * app or the lock button does.
 */
const STORAGE_KEY = 'restoflow.pos.unlockedStaffId';

export function readUnlockedStaffId(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function writeUnlockedStaffId(staffId: string | null): void {
  try {
    if (staffId === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, staffId);
  } catch {
    // Without sessionStorage the unlock lasts until the page is reloaded.
  }
}
