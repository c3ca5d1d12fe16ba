/**
 * Short form of the relay chaos test (the long form is `npm run chaos`): 20 stock y-websocket
 * clients, 3 rooms, the relay SIGKILLed and restarted 5 times at random moments.
 */
import { describe, expect, it } from 'vitest';
import { runChaos } from './relay-chaos';

const engines: { name: string; databaseUrl?: string }[] = [{ name: 'pglite' }];
if (process.env.TEST_DATABASE_URL) engines.push({ name: 'postgres', databaseUrl: process.env.TEST_DATABASE_URL });

describe.each(engines)('relay chaos on $name', ({ databaseUrl }) => {
  it('[CHAOS-01][ROT-02] 5 SIGKILLs while rooms rotate: clients and database agree, every paid order settled once, no edit lost', async () => {
    const report = await runChaos({
      clients: 20,
      kills: 5,
      killEveryMs: [800, 2_500],
      editEveryMs: [50, 300],
      // Rotate often, so clients keep editing retired generations across kills. Every 40 settled
      // orders a room: a short run (≈ 150 paid orders over 3 rooms, seen on Postgres) must still rotate.
      rotation: { maxDocumentKB: 1_024, maxLogKB: 65_536, maxSettledOrders: 40, archiveSettled: true, checkEveryMs: 200 },
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    const { unsettledDetail, relayProblems, ...figures } = report;
    console.log(`[chaos] ${JSON.stringify({ ...figures, lostLines: report.lostLines.length })}`);
    if (unsettledDetail.length > 0 || relayProblems.length > 0) console.log(`[chaos] ${[...unsettledDetail, ...relayProblems].join('\n')}`);
    expect(report.ordersPaid).toBeGreaterThan(20);
    expect(report.refusedClients).toEqual([]);
    expect(report.divergentClients).toEqual([]);
    expect(report.lostLines).toEqual([]);
    expect(report.rotations).toBeGreaterThan(0);
    expect(report.uncarriedLines).toEqual([]);
    expect(report.extraLines).toEqual([]);
    expect(report.unsettledPaidOrders).toEqual([]);
    expect(report.lateChanges).toEqual([]); // the clients never touch a paid order: each would be a false alarm
    expect(report.duplicateRows).toBe(0);
    expect(report.unexpectedRows).toBe(0);
    expect(report.settledRows).toBe(report.ordersPaid);
    expect(report.clientsWithPendingChanges).toBe(0);
  }, 240_000);
});
