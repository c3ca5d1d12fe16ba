/**
 * Business days for the daily rotation (rotation.ts): a restaurant's day does not end at
 * midnight but at a quiet hour (ROOM_ROTATE_DAILY_AT, e.g. 04:00) in the branch's own time zone
 * (BRANCH_TIME_ZONE), whatever the server's clock is set to.
 */

/** "HH:MM", 00:00–23:59. */
export const DAILY_AT_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. "Africa/Cairo"). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The business day (YYYY-MM-DD, named after the local date it starts on) that the instant `at`
 * belongs to, when each day starts at local time `dailyAt` in `timeZone`. Computed on the local
 * wall clock, so a daylight-saving change moves nothing.
 */
export function businessDayOf(at: number, dailyAt: string, timeZone: string): string {
  // Asked about once a second per busy room (rotation.ts): the answer only changes on a whole
  // minute (days start at HH:MM, and zones are offset by whole minutes), so the last one is kept.
  const minute = Math.floor(at / 60_000);
  const key = `${timeZone}|${dailyAt}`;
  const last = lastAnswers.get(key);
  if (last && last.minute === minute) return last.day;
  const day = computeBusinessDay(at, dailyAt, timeZone);
  lastAnswers.set(key, { minute, day });
  return day;
}

const lastAnswers = new Map<string, { minute: number; day: string }>();

function computeBusinessDay(at: number, dailyAt: string, timeZone: string): string {
  const match = DAILY_AT_PATTERN.exec(dailyAt);
  if (!match) throw new Error(`not a time of day (HH:MM): ${dailyAt}`);
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const [year, month, day, hour, minute] = ['year', 'month', 'day', 'hour', 'minute'].map((k) => Number(parts[k]));
  const startsAt = Number(match[1]) * 60 + Number(match[2]);
  const isBeforeStart = hour! * 60 + minute! < startsAt;
  // Date.UTC only does calendar arithmetic here (the day before the first of a month, etc.).
  const date = new Date(Date.UTC(year!, month! - 1, day! - (isBeforeStart ? 1 : 0)));
  return date.toISOString().slice(0, 10);
}
