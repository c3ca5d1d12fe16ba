/** The bounded-documents environment variables (server/config.ts), refusals included. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';

describe('bounded documents configuration', () => {
  it('[ROT-07][ROT-08][ROT-09] defaults: compaction 256 rows / 256 KB, daily at 04:00 in Cairo, retired kept 7 days', () => {
    expect(loadConfig({}).rotation).toMatchObject({
      compaction: { afterRows: 256, afterKB: 256 },
      dailyAt: '04:00',
      timeZone: 'Africa/Cairo',
      retainRetiredDays: 7,
    });
  });

  it('[ROT-08][ROT-09] the daily rotation can be moved or switched off, retention turned off', () => {
    const rotation = loadConfig({
      ROOM_ROTATE_DAILY_AT: 'off',
      ROOM_RETAIN_RETIRED_DAYS: '0',
      ROOM_COMPACT_AFTER_ROWS: '8',
      ROOM_COMPACT_AFTER_KB: '64',
    }).rotation;
    expect(rotation).toMatchObject({ dailyAt: null, retainRetiredDays: 0, compaction: { afterRows: 8, afterKB: 64 } });
    expect(loadConfig({ ROOM_ROTATE_DAILY_AT: '05:30', BRANCH_TIME_ZONE: 'Asia/Dubai' }).rotation).toMatchObject({
      dailyAt: '05:30',
      timeZone: 'Asia/Dubai',
    });
  });

  it('refuses a malformed time of day, an unknown time zone and nonsense thresholds', () => {
    expect(() => loadConfig({ ROOM_ROTATE_DAILY_AT: '4:00' })).toThrow(/ROOM_ROTATE_DAILY_AT/);
    expect(() => loadConfig({ ROOM_ROTATE_DAILY_AT: '24:00' })).toThrow(/ROOM_ROTATE_DAILY_AT/);
    expect(() => loadConfig({ BRANCH_TIME_ZONE: 'Cairo' })).toThrow(/BRANCH_TIME_ZONE/);
    expect(() => loadConfig({ ROOM_COMPACT_AFTER_ROWS: '1' })).toThrow(/ROOM_COMPACT_AFTER_ROWS/);
    expect(() => loadConfig({ ROOM_COMPACT_AFTER_KB: '0' })).toThrow(/ROOM_COMPACT_AFTER_KB/);
    expect(() => loadConfig({ ROOM_RETAIN_RETIRED_DAYS: '-1' })).toThrow(/ROOM_RETAIN_RETIRED_DAYS/);
  });
});
