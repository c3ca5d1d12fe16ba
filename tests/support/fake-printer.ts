/**
 * Fake network printers for tests: `node:net` servers on 127.0.0.1 (port 0) that record every
 * byte and answer the real-time status request (DLE EOT 4) the way an ESC/POS printer does — or,
 * for the failure cases, refuse, hang, report no paper, never answer or drop the connection.
 * Nothing here talks to any other address.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PAPER_STATUS_REQUEST } from '../../server/printing/printer-transport';

export const HOST = '127.0.0.1';
/** DLE EOT 4 answer: fixed bits only, paper present. */
export const PAPER_OK = 0x12;
/** Paper-end sensor bits set. */
export const PAPER_OUT = 0x12 | 0x60;

export type PrinterBehaviour =
  /** Reads everything and answers each status request. */
  | 'answers'
  /** Accepts the connection, then never reads and never answers (a hung printer). */
  | 'hangs'
  /** Answers status requests with "paper out". */
  | 'paper-out'
  /** Reads everything and never answers (a printer without status support). */
  | 'silent'
  /** Drops the connection as soon as it is made (a printer rebooting, a flaky switch). */
  | 'drops';

export interface FakePrinter {
  port: number;
  /** Bytes of each connection, in the order the connections were accepted. */
  connections: Buffer[];
  /** Everything received, all connections joined. */
  received(): Buffer;
  /** The most connections that were open at once. */
  maxOpenAtOnce(): number;
  close(): Promise<void>;
}

const servers: FakePrinter[] = [];

/** Closes every fake printer started so far (call in afterEach). */
export async function closeFakePrinters(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

export async function startFakePrinter(behaviour: PrinterBehaviour, options: { answerDelayMs?: number } = {}): Promise<FakePrinter> {
  const connections: Buffer[] = [];
  const sockets = new Set<Socket>();
  let maxOpen = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const index = connections.push(Buffer.alloc(0)) - 1;
    if (behaviour === 'hangs') {
      socket.pause();
      return;
    }
    if (behaviour === 'drops') {
      socket.destroy();
      return;
    }
    let scanned = 0;
    socket.on('data', (chunk: Buffer) => {
      connections[index] = Buffer.concat([connections[index] ?? Buffer.alloc(0), chunk]);
      if (behaviour === 'silent') return;
      const all = connections[index] ?? Buffer.alloc(0);
      // Answer every complete DLE EOT 4 not answered yet, even one split across chunks.
      for (let at = all.indexOf(PAPER_STATUS_REQUEST, scanned); at !== -1; at = all.indexOf(PAPER_STATUS_REQUEST, scanned)) {
        scanned = at + PAPER_STATUS_REQUEST.length;
        const answer = Buffer.of(behaviour === 'paper-out' ? PAPER_OUT : PAPER_OK);
        if (options.answerDelayMs) setTimeout(() => socket.write(answer), options.answerDelayMs);
        else socket.write(answer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const printer: FakePrinter = {
    port: (server.address() as AddressInfo).port,
    connections,
    received: () => Buffer.concat(connections),
    maxOpenAtOnce: () => maxOpen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(printer);
  return printer;
}

/** A port nothing listens on: bound, then released, so connecting is refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
