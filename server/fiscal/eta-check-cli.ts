/**
 * `npm run eta:check`: are the ETA_* settings complete and valid? Prints `ok: true` (exit 0) or
 * `ok: false` with the missing and invalid keys (exit 1). Never prints a value of a secret key;
 * see server/fiscal/eta-config.ts and docs/FISCAL.md for each key.
 */
import { describeEtaConfig, loadEtaConfig } from './eta-config';

const result = loadEtaConfig(process.env);
for (const line of describeEtaConfig(result)) console.log(line);
process.exitCode = result.ok ? 0 : 1;
