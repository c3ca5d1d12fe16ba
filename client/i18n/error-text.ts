import type { ErrorCode } from '../../shared/errors';
import type { ApiFailure } from '../sync/api-client';
import type { Language } from './format';

/**
 * The one place where error codes (shared/errors.ts) become words, in both languages. A person
 * never sees a raw code; a code this table does not know cannot exist (the record is total).
 */
const ERROR_TEXT: Record<ErrorCode, Record<Language, string>> = {
  'validation-failed': { en: 'Some details are missing or not valid.', ar: 'بعض البيانات ناقصة أو غير صحيحة.' },
  unauthenticated: { en: 'Please sign in again.', ar: 'من فضلك سجّل الدخول مرة أخرى.' },
  'invalid-credentials': { en: 'Wrong email or password.', ar: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.' },
  forbidden: { en: 'You are not allowed to do this.', ar: 'غير مسموح لك بهذا الإجراء.' },
  'branch-forbidden': { en: 'You have no access to this branch.', ar: 'ليست لديك صلاحية على هذا الفرع.' },
  'device-revoked': {
    en: 'This device is no longer authorised. Ask a manager to pair it again.',
    ar: 'لم يعد هذا الجهاز مصرّحًا له. اطلب من المدير ربطه من جديد.',
  },
  'not-found': { en: 'Not found.', ar: 'غير موجود.' },
  conflict: { en: 'This was changed meanwhile. Try again.', ar: 'تم تغيير هذا في الأثناء. حاول مرة أخرى.' },
  'rate-limited': { en: 'Too many attempts. Wait a moment.', ar: 'محاولات كثيرة. انتظر قليلًا.' },
  'internal-error': { en: 'Something went wrong on the server.', ar: 'حدث خطأ في الخادم.' },
  'invalid-order': { en: 'The order is not valid.', ar: 'الطلب غير صالح.' },
  'unknown-item': { en: 'An item is no longer on the menu.', ar: 'أحد الأصناف لم يعد في المنيو.' },
  'unknown-table': { en: 'The table no longer exists.', ar: 'الطاولة لم تعد موجودة.' },
  'price-mismatch': { en: 'A price has changed since the order was taken.', ar: 'تغيّر أحد الأسعار منذ أخذ الطلب.' },
  'modifier-required': { en: 'An item is missing a required choice.', ar: 'أحد الأصناف ينقصه اختيار إجباري.' },
  'modifier-invalid': { en: 'An item has a choice that is not offered.', ar: 'أحد الأصناف به اختيار غير متاح.' },
  'total-mismatch': { en: 'The bill total does not match the menu.', ar: 'إجمالي الفاتورة لا يطابق المنيو.' },
  underpaid: { en: 'The payment does not cover the bill.', ar: 'المبلغ المدفوع لا يغطي الفاتورة.' },
  'permission-denied': { en: 'This needs a manager’s approval.', ar: 'هذا يحتاج إلى موافقة المدير.' },
};

const NETWORK_TEXT: Record<Language, string> = {
  en: 'Cannot reach the server. Check the connection.',
  ar: 'لا يمكن الوصول إلى الخادم. تحقق من الاتصال.',
};

export function errorText(code: ErrorCode, lang: Language): string {
  return ERROR_TEXT[code][lang];
}

export function apiFailureText(failure: ApiFailure, lang: Language): string {
  return failure.kind === 'network' ? NETWORK_TEXT[lang] : errorText(failure.code, lang);
}
