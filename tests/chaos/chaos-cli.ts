/**
 * `npm run chaos [-- --clients 20 --kills 20 --rotate-every 25 --database-url postgres://…]`: the long form of the
 * relay chaos test. Prints the report and exits non-zero if any guarantee was broken.
 */
import { parseArgs } from 'node:util';
import { runChaos } from './relay-chaos';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20' },
    kills: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    /** Rotate a room after this many settled orders (0: no archiving or rotation). */
    'rotate-every': { type: 'string', default: '25' },
  },
});
const rotateEvery = Number(values['rotate-every']);
const report = await runChaos({
  clients: Number(values.clients),
  kills: Number(values.kills),
  killEveryMs: [1_500, 6_000],
  editEveryMs: [50, 400],
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  ...(rotateEvery > 0
    ? { rotation: { maxDocumentKB: 1_024, maxLogKB: 65_536, maxSettledOrders: rotateEvery, archiveSettled: true, checkEveryMs: 200 } }
    : {}),
  log: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
const isBroken =
  report.duplicateRows + report.unexpectedRows + report.lostLines.length + report.uncarriedLines.length + report.extraLines.length + report.unsettledPaidOrders.length + report.lateChanges.length +
    report.divergentClients.length + report.clientsWithPendingChanges + report.refusedClients.length > 0;
process.exit(isBroken ? 1 : 0);
