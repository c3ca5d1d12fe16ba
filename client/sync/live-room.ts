import { z } from 'zod';
import { branchIdFromRoom, roomNameForBranch } from '../../shared/protocol';

/**
 * Which generation of its branch room this device last moved to (see branch-sync.ts), kept in
 * localStorage so a restart, offline too, opens the same generation's local copy. A value that
 * is not a room of this branch (older app, another branch) falls back to the branch's first room,
 * from where the rotation pointers lead on.
 */
const key = (branchId: string) => `restoflow.liveRoom.${branchId}`;
const roomSchema = z.string().min(1).max(200);

export function readLiveRoom(branchId: string): string {
  try {
    const parsed = roomSchema.safeParse(localStorage.getItem(key(branchId)));
    if (parsed.success && branchIdFromRoom(parsed.data) === branchId) return parsed.data;
  } catch {
    // No storage (private mode): start from the first room.
  }
  return roomNameForBranch(branchId);
}

export function saveLiveRoom(branchId: string, room: string): void {
  try {
    localStorage.setItem(key(branchId), room);
  } catch {
    // Without storage the device starts from the first room and follows the pointers again.
  }
}
