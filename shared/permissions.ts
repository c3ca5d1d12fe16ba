/**
 * Roles and what each may do. The server checks these on every request (`requirePermission`)
 * and the relay on every socket; the tablet uses the same table to hide what a role can't do.
 */
export const ROLES = ['manager', 'waiter', 'kitchen'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'orders:take', // open tables, add lines, send to kitchen
  'orders:pay',
  'kitchen:bump',
  'devices:pair',
  'catalog:read',
  'stations:manage', // kitchen stations' printers and screen fallback
  'settlement:review', // see orders the server refused to settle
  'orders:void-sent', // void a line the kitchen already has (waiters need a manager's PIN)
  'orders:discount', // discount a line or an order (waiters need a manager's PIN)
  'orders:refund', // refund a settled order, whole or some lines
  'shifts:manage', // open and close shifts, pay-ins and pay-outs, X and Z reports
  'customers:read',
  'customers:write',
  'fiscal:review', // the fiscal page: receipts, rejections, resubmission
  'audit:review', // the branch's audit log: voids, discounts, refunds, cash, late changes
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  manager: PERMISSIONS,
  waiter: ['orders:take', 'orders:pay', 'catalog:read', 'customers:read', 'customers:write'],
  kitchen: ['kitchen:bump', 'catalog:read'],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Kinds of paired device. A POS tablet takes orders and payments; a KDS only bumps tickets. */
export const DEVICE_KINDS = ['pos', 'kds'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
