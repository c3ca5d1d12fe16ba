import { describe, expect, it } from 'vitest';
import { businessDayOf, isKnownTimeZone } from './business-day';

describe('business days (daily rotation)', () => {
  it('[ROT-08] a day starts at the configured local time in the branch time zone', () => {
    // Cairo is UTC+2 in winter: 04:00 local is 02:00 UTC.
    expect(businessDayOf(Date.parse('2026-12-02T01:59:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-12-01');
    expect(businessDayOf(Date.parse('2026-12-02T02:00:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-12-02');
    expect(businessDayOf(Date.parse('2026-12-02T21:30:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-12-02'); // 23:30 local
    expect(businessDayOf(Date.parse('2026-12-02T22:30:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-12-02'); // 00:30 local on the 3rd: still the night of the 2nd
    // The same instant in another zone belongs to another day.
    expect(businessDayOf(Date.parse('2026-12-02T03:00:00Z'), '04:00', 'UTC')).toBe('2026-12-01');
  });

  it('[ROT-08] the day before the first of a month or year, and summer time', () => {
    expect(businessDayOf(Date.parse('2027-01-01T01:00:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-12-31');
    expect(businessDayOf(Date.parse('2026-03-01T00:30:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-02-28');
    // Cairo is UTC+3 in summer: 04:00 local is 01:00 UTC.
    expect(businessDayOf(Date.parse('2026-07-15T00:59:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-07-14');
    expect(businessDayOf(Date.parse('2026-07-15T01:00:00Z'), '04:00', 'Africa/Cairo')).toBe('2026-07-15');
  });

  it('refuses a malformed time and knows which zones exist', () => {
    expect(() => businessDayOf(0, '4am', 'Africa/Cairo')).toThrow(/HH:MM/);
    expect(() => businessDayOf(0, '24:00', 'Africa/Cairo')).toThrow(/HH:MM/);
    expect(isKnownTimeZone('Africa/Cairo')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
  });
});
