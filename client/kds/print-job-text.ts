import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n/language';
import type { PrintJob } from '../../shared/schemas/print-job';

const ERROR_KEYS: Record<string, MessageKey> = {
  'connection-refused': 'printError.connection-refused',
  'connect-timeout': 'printError.connect-timeout',
  timeout: 'printError.timeout',
  'paper-out': 'printError.paper-out',
  'socket-error': 'printError.socket-error',
  'render-failed': 'printError.render-failed',
  'no-printer': 'printError.no-printer',
  'printers-failed': 'printError.printers-failed',
};

/** A printer error code in the reader's language (the code itself when unknown). */
export function printErrorText(t: I18n['t'], code: string | undefined): string {
  if (!code) return '';
  const key = ERROR_KEYS[code];
  return key ? t(key) : code;
}

/** Whether a print outcome is worth telling people about: a printer failed on the way. */
export const isPrintTrouble = (job: PrintJob): boolean => job.status === 'failed' || job.fallback === 'backup';
