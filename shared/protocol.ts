/**
 * The sync protocol between devices and the relay, in one place. It is the y-websocket protocol
 * (y-protocols sync + awareness messages) with one addition: the relay tells a client which
 * changes are safely stored, so the tablet can show "N changes not yet synced" truthfully.
 * See docs/PROTOCOL.md for the prose version.
 */

export const PROTOCOL_VERSION = 1;

/** Path of the WebSocket endpoint; a room is appended: `/sync/branch.<branchId>`. */
export const SYNC_PATH = '/sync';

export const MESSAGE_TYPE = {
  /** y-protocols sync: step 1 (state vector), step 2 (missing updates), update. */
  sync: 0,
  /** y-protocols awareness (who is on which screen). */
  awareness: 1,
  /**
   * Relay → client, only when the client asked with `?ack=1`: the state vector of what is
   * durably stored in the database for this room. The stock y-websocket client never asks, so it
   * never receives this message type.
   */
  persisted: 100,
} as const;

/**
 * Close codes. 4400–4499 are permanent refusals: a client must not reconnect on its own
 * (it shows the reason instead). 1000–1015 are normal WebSocket codes and mean "try again".
 */
export const CLOSE_CODE = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  roomNotFound: 4404,
  messageTooLarge: 4413,
  writeRefused: 4422,
} as const;
export type CloseCode = (typeof CLOSE_CODE)[keyof typeof CLOSE_CODE];

/**
 * Why the relay refused a socket or a change: sent as the close reason, turned into text on the
 * device. Kebab-case, stable: clients match on them.
 */
export const REFUSAL_REASON = {
  noToken: 'unauthenticated',
  deviceRevoked: 'device-revoked',
  sessionEnded: 'session-ended',
  branchForbidden: 'branch-forbidden',
  notARoom: 'not-a-room',
  malformed: 'malformed-message',
  unplaceable: 'unplaceable-update',
  tooLarge: 'update-too-large',
  serverOwned: 'server-owned-data',
  roleMayNotWrite: 'role-may-not-write',
  orderSettled: 'order-already-settled',
  ticketEdit: 'kitchen-may-only-bump',
  receiptIssued: 'receipt-already-issued',
  rateLimited: 'rate-limited',
} as const;
export type RefusalReason = (typeof REFUSAL_REASON)[keyof typeof REFUSAL_REASON];

export function isPermanentRefusal(code: number): boolean {
  return code >= 4400 && code <= 4499;
}

/** Largest single message the relay accepts (an offline tablet's SyncStep2 can be large). */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

const ROOM_PREFIX = 'branch.';

/**
 * The branch's first live room. The relay rotates rooms (docs/PROTOCOL.md, "Rotation"): later
 * generations are `branch.<branchId>.g<n>`, and each retired one names its successor.
 */
export function roomNameForBranch(branchId: string): string {
  return `${ROOM_PREFIX}${branchId}`;
}

/** Room of a branch's generation `n` (1 is the first, `branch.<branchId>`). */
export function roomForGeneration(branchId: string, generation: number): string {
  return generation <= 1 ? roomNameForBranch(branchId) : `${ROOM_PREFIX}${branchId}.g${generation}`;
}

const ROOM_PATTERN = /^branch\.([a-z0-9][a-z0-9_-]{0,63})(?:\.g([2-9]|[1-9][0-9]{1,8}))?$/;

/** The branch a room belongs to, or null for a name that is not a room. */
export function branchIdFromRoom(room: string): string | null {
  return ROOM_PATTERN.exec(room)?.[1] ?? null;
}

/** Which generation of its branch a room is (1 for `branch.<branchId>`), or null if not a room. */
export function generationOfRoom(room: string): number | null {
  const match = ROOM_PATTERN.exec(room);
  if (!match) return null;
  return match[2] === undefined ? 1 : Number(match[2]);
}

/** Query parameters a client sends when it opens the socket. */
export interface SyncConnectParams {
  /** A device token (`dev_…`) or a session token (`ses_…`). */
  token: string;
  /** "1" to receive `persisted` acknowledgements. */
  ack?: '1';
}
