import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Paths whose WebSocket upgrades some part of the server takes: OCPP and Socket.IO. */
const UPGRADE_PREFIXES = ['/ocpp/', '/socket.io/'];

/** Where upgrade failures are reported. */
export interface UpgradeLog {
  warn(details: object, message: string): void;
}

/** What an upgrade listener does with one request; it may throw or reject. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

/**
 * Answers an upgrade request with an HTTP error and closes its socket. Safe to call on a socket
 * already closed or half-written: an upgrade socket belongs to nobody else once refused.
 */
export function refuseUpgrade(socket: Duplex, status: number, message = STATUS_CODES[status] ?? ''): void {
  if (socket.writable && !socket.destroyed) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  }
  // A client that sends more and never reads would keep a half-closed socket alive.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * Node hands an upgrade's socket to the 'upgrade' listeners with no 'error' listener of its own:
 * a client that resets the connection before an answer (ECONNRESET) would then raise an
 * uncaught exception and end the process. Installed first, before any other upgrade listener,
 * so that every upgrade socket has one, whichever listener takes it, or none.
 */
export function guardUpgradeSockets(server: Server, log: UpgradeLog): void {
  server.prependListener('upgrade', (request: IncomingMessage, socket: Duplex) => {
    socket.on('error', (error: NodeJS.ErrnoException) => {
      log.warn({ err: error, url: request.url?.slice(0, 200) }, 'upgrade socket error');
      socket.destroy();
    });
  });
}

/**
 * Wraps an upgrade listener so that nothing it throws or rejects escapes: the 'upgrade' event is
 * emitted outside any request, so an error there has no caller to reach and would otherwise be
 * an unhandled rejection (issue 10, item 1: `/ocpp/%E0%A4%A` ended the process). The client
 * gets 400 for a request the handler could not read (a `URIError` from a malformed
 * percent-encoding), 500 otherwise; either way the socket is closed and the failure logged.
 */
export function safeUpgradeHandler(log: UpgradeLog, handler: UpgradeHandler): UpgradeHandler {
  return (request, socket, head) => {
    const fail = (error: unknown) => {
      const status = error instanceof URIError ? 400 : 500;
      log.warn({ err: error, url: request.url?.slice(0, 200), status }, 'WebSocket upgrade failed');
      refuseUpgrade(socket, status);
    };
    try {
      const result = handler(request, socket, head);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * Answers 404 to WebSocket upgrades for any other path. Without it such a request would hang
 * until its socket timed out, since Node leaves unclaimed upgrades open.
 */
export function refuseUnknownUpgrades(server: Server): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (UPGRADE_PREFIXES.some((prefix) => path.startsWith(prefix))) return;
    refuseUpgrade(socket, 404, '');
  });
}
