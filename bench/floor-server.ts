/**
 * The floor: a bare OCPP 1.6-J central system on ocpp-rpc, configured like ours (strict schema
 * validation both ways, one call at a time per station, 30 s pings), that answers every call at
 * once and stores nothing. What our server achieves is reported as a ratio of what this does on
 * the same machine in the same run.
 *
 * `GET /metrics` answers the event-loop lag figures under the names prom-client gives them in
 * our server, measured the same way (monitorEventLoopDelay, 10 ms resolution, reset on read).
 *
 * Usage: tsx bench/floor-server.ts --port 0 [--host 127.0.0.1] [--heartbeat 300]
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import ocppRpc from 'ocpp-rpc';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    heartbeat: { type: 'string', default: '300' },
  },
});
const heartbeatInterval = Number(values.heartbeat);

const rpc = new ocppRpc.RPCServer({
  protocols: ['ocpp1.6'],
  strictMode: true,
  pingIntervalMs: 30_000,
  callConcurrency: 1,
});
rpc.auth((accept) => accept({}, 'ocpp1.6'));

let nextTransactionId = 1;
const accepted = { idTagInfo: { status: 'Accepted' } };
rpc.on('client', (client) => {
  client.handle('BootNotification', () => ({
    status: 'Accepted',
    interval: heartbeatInterval,
    currentTime: new Date().toISOString(),
  }));
  client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  client.handle('StatusNotification', () => ({}));
  client.handle('Authorize', () => accepted);
  client.handle('StartTransaction', () => ({ transactionId: nextTransactionId++, ...accepted }));
  client.handle('StopTransaction', () => ({}));
  client.handle('MeterValues', () => ({}));
  client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  client.handle('DiagnosticsStatusNotification', () => ({}));
  client.handle('FirmwareStatusNotification', () => ({}));
});

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

function metrics(): string {
  const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
  const lines = [
    ['nodejs_eventloop_lag_mean_seconds', seconds(lag.mean)],
    ['nodejs_eventloop_lag_p50_seconds', seconds(lag.percentile(50))],
    ['nodejs_eventloop_lag_p99_seconds', seconds(lag.percentile(99))],
    ['nodejs_eventloop_lag_max_seconds', seconds(lag.max)],
  ].map(([name, value]) => `${name} ${value}`);
  lag.reset();
  return `${lines.join('\n')}\n`;
}

const server = createServer((request, response) => {
  if (request.url === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end(metrics());
  } else if (request.url === '/api/ready' || request.url === '/api/health') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } else {
    response.writeHead(404).end();
  }
});
server.on('upgrade', (request, socket, head) => void rpc.handleUpgrade(request, socket as never, head));
server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  process.stdout.write(`floor listening on ${typeof address === 'object' && address ? address.port : '?'}\n`);
});

const stop = () => {
  void rpc.close({ awaitPending: false, force: true }).finally(() => server.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
