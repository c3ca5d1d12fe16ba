import { useI18n } from '../i18n/language';

/** Shows the language you would switch to, in that language (the convention people recognise). */
export function LanguageSwitch() {
  const { t, toggleLanguage, lang } = useI18n();
  return (
    <button
      type="button"
      className="button button--quiet language-switch"
      data-testid="language-switch"
      lang={lang === 'en' ? 'ar' : 'en'}
      title={t('language.switchLabel')}
      onClick={toggleLanguage}
    >
      {t('language.switch')}
    </button>
  );
}
