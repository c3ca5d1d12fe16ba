import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import type { ErrorCode } from '../../shared/errors';
import type { Minor } from '../../shared/money';
import type { ApiFailure } from '../sync/api-client';
import { ar } from './ar';
import { en, type Dictionary, type MessageKey } from './en';
import { apiFailureText, errorText } from './error-text';
import { formatClockTime, formatDateTime, formatMinutes, formatMoney, formatNumber, type Language } from './format';

/**
 * The current language for the whole app. Switching sets `lang` and `dir` on <html>, so the
 * CSS (written with logical properties) mirrors the layout for Arabic without special cases.
 */

const STORAGE_KEY = 'restoflow.language';
const DICTIONARIES: Record<Language, Dictionary> = { en, ar };

export interface I18n {
  lang: Language;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  toggleLanguage(): void;
  /** The English or Arabic name of a catalog entry. */
  pick(entry: { nameEn: string; nameAr: string }): string;
  money(amount: Minor): string;
  number(value: number): string;
  minutes(value: number): string;
  clockTime(epochMs: number): string;
  dateTime(epochMs: number): string;
  error(code: ErrorCode): string;
  apiFailure(failure: ApiFailure): string;
  /** Text for a permanent refusal close code of the relay (4400–4499). */
  refusal(code: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'ar' ? 'ar' : 'en';
  } catch {
    return 'en';
  }
}

const REFUSAL_KEYS: Record<number, MessageKey> = {
  4400: 'refused.4400',
  4401: 'refused.4401',
  4403: 'refused.4403',
  4404: 'refused.4404',
  4413: 'refused.4413',
  4422: 'refused.4422',
};

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Language>(storedLanguage);

  // Layout effect: the page must never paint once in the wrong direction.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Storage can be unavailable (private mode); the choice then lasts for this page only.
    }
  }, [lang]);

  const toggleLanguage = useCallback(() => setLang((current) => (current === 'en' ? 'ar' : 'en')), []);

  const value = useMemo((): I18n => {
    const dictionary = DICTIONARIES[lang];
    const t = (key: MessageKey, values?: Record<string, string | number>) =>
      dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
        const filled = values?.[name];
        return filled === undefined ? whole : String(filled);
      });
    return {
      lang,
      t,
      toggleLanguage,
      pick: (entry) => (lang === 'ar' ? entry.nameAr : entry.nameEn),
      money: (amount) => formatMoney(amount, lang),
      number: (n) => formatNumber(n, lang),
      minutes: (n) => formatMinutes(n, lang),
      clockTime: (ms) => formatClockTime(ms, lang),
      dateTime: (ms) => formatDateTime(ms, lang),
      error: (code) => errorText(code, lang),
      apiFailure: (failure) => apiFailureText(failure, lang),
      refusal: (code) => {
        const key = REFUSAL_KEYS[code];
        return key ? t(key) : t('refused.other', { code });
      },
    };
  }, [lang, toggleLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <LanguageProvider>');
  return i18n;
}
