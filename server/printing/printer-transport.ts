/**
 * Sends bytes to a network printer over raw TCP (port 9100) and says, as a value, whether the
 * printer took them. Nothing here throws: a kitchen must learn that a printer failed, not crash.
 *
 * A successful TCP write proves little: a few kilobytes fit in the kernel's buffers even when
 * the printer has hung and reads nothing. So, unless the printer is configured with
 * `confirm: 'none'`, the ticket is framed by two real-time status requests (`DLE EOT 4`, paper
 * sensor): the answer before the ticket proves the printer is alive and has paper (else nothing
 * is sent, so the backup printer can take the ticket without a duplicate); the answer after it
 * proves the printer has read the ticket. The whole exchange has one deadline.
 */
import { connect, type Socket } from 'node:net';
import type { PrinterConfirmMode } from './printer-config';

export const PRINT_ERROR_CODES = [
  /** Nothing listens on the port (printer off, wrong port). */
  'connection-refused',
  /** No connection within the deadline (wrong address, printer off the network). */
  'connect-timeout',
  /** Connected, but the printer did not answer or read within the deadline. */
  'timeout',
  /** The printer says it has no paper. */
  'paper-out',
  /** The connection broke (reset, closed early, host unreachable…). */
  'socket-error',
  /** The ticket could not be turned into bytes (a bug, or a font that failed to load). */
  'render-failed',
] as const;
export type PrintErrorCode = (typeof PRINT_ERROR_CODES)[number];

export interface PrintError {
  code: PrintErrorCode;
  message: string;
}

export type PrintResult<T> = { ok: true; value: T } | { ok: false; error: PrintError };

export interface SendReceipt {
  bytesSent: number;
  /** Paper is low (near-end sensor) but the ticket printed: worth telling a manager. */
  isPaperLow: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  confirm: PrinterConfirmMode;
}

/** How long a confirmed ticket's connection may take to close before it is cut. */
const CLOSE_GRACE_MS = 1_000;

/** DLE EOT 4: transmit the roll paper sensor status, answered as soon as it is received. */
export const PAPER_STATUS_REQUEST = Uint8Array.of(0x10, 0x04, 0x04);

interface PaperStatus {
  isPaperOut: boolean;
  isPaperLow: boolean;
}

/**
 * Reads a `DLE EOT 4` answer. Bits 1 and 4 are always set and 0 and 7 clear; bits 2–3 are the
 * near-end sensor and 5–6 the paper-end sensor. A byte that breaks the fixed bits comes from a
 * printer that answers in its own way: it is alive, and we assume it has paper.
 */
export function parsePaperStatus(byte: number): PaperStatus {
  if ((byte & 0x93) !== 0x12) return { isPaperOut: false, isPaperLow: false };
  return { isPaperOut: (byte & 0x60) !== 0, isPaperLow: (byte & 0x0c) !== 0 };
}

function socketErrorCode(error: NodeJS.ErrnoException, isConnected: boolean): PrintErrorCode {
  if (error.code === 'ECONNREFUSED') return 'connection-refused';
  if (!isConnected && error.code === 'ETIMEDOUT') return 'connect-timeout';
  return 'socket-error';
}

/** Sends `bytes` to `host:port`; resolves once the printer has them or the attempt failed. */
export function sendToPrinter(
  printer: { host: string; port: number },
  bytes: Uint8Array,
  options: SendOptions,
): Promise<PrintResult<SendReceipt>> {
  return new Promise((resolve) => {
    let isSettled = false;
    let isConnected = false;
    let isPaperLow = false;
    let answers = 0;
    const socket: Socket = connect({ host: printer.host, port: printer.port });

    const settle = (result: PrintResult<SendReceipt>) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(deadline);
      if (!result.ok) {
        socket.destroy();
        resolve(result);
        return;
      }
      // Many printers serve one connection at a time: let this one close before the next ticket
      // in the printer's queue connects, but do not wait on a printer that never closes.
      const linger = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(linger);
        resolve(result);
      });
      socket.end();
    };
    const fail = (code: PrintErrorCode, message: string) => settle({ ok: false, error: { code, message } });
    const succeed = () => settle({ ok: true, value: { bytesSent: bytes.length, isPaperLow } });

    const deadline = setTimeout(() => {
      if (!isConnected) fail('connect-timeout', `no connection to ${printer.host}:${printer.port} within ${options.timeoutMs} ms`);
      else fail('timeout', `${printer.host}:${printer.port} did not ${answers === 0 ? 'answer' : 'take the ticket'} within ${options.timeoutMs} ms`);
    }, options.timeoutMs);

    socket.on('error', (error: NodeJS.ErrnoException) => fail(socketErrorCode(error, isConnected), error.message));
    socket.on('close', () => fail('socket-error', `${printer.host}:${printer.port} closed the connection before taking the ticket`));

    socket.on('connect', () => {
      isConnected = true;
      socket.setNoDelay(true);
      if (options.confirm === 'none') {
        // All we can know: the bytes were handed to the network.
        socket.write(bytes, (error) => (error ? fail('socket-error', error.message) : succeed()));
        return;
      }
      socket.write(PAPER_STATUS_REQUEST);
    });

    socket.on('data', (chunk: Buffer) => {
      if (options.confirm === 'none') return;
      for (const byte of chunk) {
        answers++;
        if (answers === 1) {
          const status = parsePaperStatus(byte);
          if (status.isPaperOut) {
            fail('paper-out', `${printer.host}:${printer.port} is out of paper`);
            return;
          }
          isPaperLow = status.isPaperLow;
          socket.write(bytes);
          socket.write(PAPER_STATUS_REQUEST);
        } else {
          // The answer to the request after the ticket: the printer has read it all. (Images
          // never contain a real-time request by accident: see `clearRealtimeSequences`.)
          if (parsePaperStatus(byte).isPaperOut) fail('paper-out', `${printer.host}:${printer.port} ran out of paper`);
          else succeed();
          return;
        }
      }
    });
  });
}
