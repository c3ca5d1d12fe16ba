/**
 * `npm run chaos [-- --clients 20 --kills 20 --database-url postgres://…]`: the long form of the
 * relay chaos test. Prints the report and exits non-zero if any guarantee was broken.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './relay-chaos';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    kills: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
  },
});
const report = await runChaos({
  clients: Number(values.clients),
  kills: Number(values.kills),
  killEveryMs: [1_500, 6_000],
  editEveryMs: [50, 400],
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  log: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
const isBroken =
  report.duplicateRows + report.unexpectedRows + report.lostLines.length + report.unsettledPaidOrders.length +
    report.divergentClients.length + report.clientsWithPendingChanges + report.refusedClients.length > 0;
process.exit(isBroken ? 1 : 0);
