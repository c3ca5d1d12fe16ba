import { useState, type FormEvent } from 'react';
import type { LoginAnswer } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import { login } from '../sync/server-api';

/** Manager sign-in (email and password are checked on the server only, never cached). */
export function LoginForm({ onSignedIn }: { onSignedIn: (session: LoginAnswer) => void }) {
  const { t, apiFailure } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [isSending, setIsSending] = useState(false);
  const [errorText, setErrorText] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setIsSending(true);
    setErrorText(null);
    const answer = await login({ email: email.trim(), password });
    setIsSending(false);
    if (answer.ok) onSignedIn(answer.value);
    else setErrorText(apiFailure(answer.failure));
  };

  return (
    <form className="card login" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
      <h1 id="login-title" className="card__title">
        {t('login.title')}
      </h1>
      <label className="field">
        <span className="field__label">{t('login.email')}</span>
        <input
          className="field__input"
          data-testid="login-email"
          type="email"
          autoComplete="username"
          dir="ltr"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </label>
      <label className="field">
        <span className="field__label">{t('login.password')}</span>
        <input
          className="field__input"
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          dir="ltr"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      {errorText && (
        <p className="error-text" role="alert" data-testid="login-error">
          {errorText}
        </p>
      )}
      <button type="submit" className="button button--primary button--wide" data-testid="login-submit" disabled={isSending}>
        {isSending ? t('login.signingIn') : t('login.submit')}
      </button>
    </form>
  );
}
