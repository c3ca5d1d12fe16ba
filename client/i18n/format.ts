import { formatMoney as formatMoneyShared, type Minor } from '../../shared/money';

/** Locale-aware formatting; Arabic uses Egyptian Arabic digits and conventions (ar-EG). */

export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

const localeOf = (lang: Language) => (lang === 'ar' ? 'ar-EG' : 'en-EG');

export const formatMoney = (amount: Minor, lang: Language): string => formatMoneyShared(amount, lang);

export const formatNumber = (value: number, lang: Language): string => new Intl.NumberFormat(localeOf(lang)).format(value);

/** "12 min" / "١٢ دقيقة". */
export const formatMinutes = (minutes: number, lang: Language): string =>
  new Intl.NumberFormat(localeOf(lang), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(minutes);

export const formatClockTime = (epochMs: number, lang: Language): string =>
  new Intl.DateTimeFormat(localeOf(lang), { hour: 'numeric', minute: '2-digit' }).format(epochMs);

export const formatDateTime = (epochMs: number, lang: Language): string =>
  new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(epochMs);

/** Whole minutes elapsed, never negative (a tablet clock behind another device's). */
export const minutesSince = (epochMs: number, now: number): number => Math.max(0, Math.floor((now - epochMs) / 60_000));
