import { loginAnswerSchema, type LoginAnswer } from '../../shared/schemas/auth';

/**
 * The manager's session token lives in sessionStorage: it survives a reload but not closing the
 * tab, which suits a shared restaurant device better than a long-lived login.
 */
const STORAGE_KEY = 'restoflow.managerSession';

export function readSession(): LoginAnswer | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (text === null) return null;
    const parsed = loginAnswerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeSession(session: LoginAnswer | null): void {
  try {
    if (session === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Without sessionStorage the session lasts until the page is reloaded.
  }
}
