import type { Server } from 'node:http';

/** Paths whose WebSocket upgrades some part of the server takes: OCPP and Socket.IO. */
const UPGRADE_PREFIXES = ['/ocpp/', '/socket.io/'];

/**
 * Answers 404 to WebSocket upgrades for any other path. Without it such a request would hang
 * until its socket timed out, since Node leaves unclaimed upgrades open.
 */
export function refuseUnknownUpgrades(server: Server): void {
  server.on('upgrade', (request, socket) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (UPGRADE_PREFIXES.some((prefix) => path.startsWith(prefix))) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
}
