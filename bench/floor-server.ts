/**
 * The floor: a bare OCPP 1.6-J and 2.0.1 central system on ocpp-rpc, configured like ours (strict
 * schema validation both ways, one call at a time per station, 30 s pings), that answers every
 * call at once and stores nothing; a station gets the version it offers. What our server achieves is reported as a ratio of what this does on
 * the same machine in the same run.
 *
 * It is also the floor of the real-time fan-out: a bare Socket.IO server on the same port, where
 * `join_room` puts any client in `dashboard` and every MeterValues is broadcast there as
 * `meter_values_updated` with the payload our server sends (no authentication, no scopes).
 *
 * `GET /metrics` answers the event-loop lag figures under the names prom-client gives them in
 * our server, measured the same way (monitorEventLoopDelay, 10 ms resolution, reset on read).
 *
 * Usage: tsx bench/floor-server.ts --port 0 [--host 127.0.0.1] [--heartbeat 300]
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { v16, v201 } from '@cimorings/ocpp';
import ocppRpc from 'ocpp-rpc';
import { Server as SocketServer } from 'socket.io';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    heartbeat: { type: 'string', default: '300' },
  },
});
const heartbeatInterval = Number(values.heartbeat);

const rpc = new ocppRpc.RPCServer({
  protocols: ['ocpp2.0.1', 'ocpp1.6'],
  strictMode: true,
  pingIntervalMs: 30_000,
  callConcurrency: 1,
});
rpc.auth((accept, _reject, handshake) =>
  accept({}, handshake.protocols.has('ocpp2.0.1') ? 'ocpp2.0.1' : 'ocpp1.6'),
);

/** Energy (Wh), power (kW) and SoC of a reading, as our server reports them (units as the bench sends). */
function figures(values: readonly v16.SampledValue[]) {
  const pick = (measurand: string) => {
    const value = values.find((v) => (v.measurand ?? 'Energy.Active.Import.Register') === measurand)?.value;
    return value === undefined ? null : Number(value);
  };
  const watts = pick('Power.Active.Import');
  return {
    energy: pick('Energy.Active.Import.Register'),
    power: watts === null ? null : watts / 1000,
    soc: pick('SoC'),
  };
}

let nextTransactionId = 1;
const accepted = { idTagInfo: { status: 'Accepted' } };
/** OCPP 2.0.1: the same verdict as `accepted`, spelled as 2.0.1 spells it. */
const tokenAccepted = { idTokenInfo: { status: 'Accepted' } };
rpc.on('client', (client) => {
  // Spelled alike in 1.6 and 2.0.1.
  client.handle('BootNotification', () => ({
    status: 'Accepted',
    interval: heartbeatInterval,
    currentTime: new Date().toISOString(),
  }));
  client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
  client.handle('StatusNotification', ({ params }: { params: unknown }) => {
    // 1.6 names the connector and status; 2.0.1 the EVSE and the connector's status.
    const request = params as Partial<v16.StatusNotificationRequest & v201.StatusNotificationRequest>;
    io.to('dashboard').emit('connector_status_updated', {
      chargePointId: client.identity,
      connectorId: request.evseId ?? request.connectorId,
      status: request.connectorStatus ?? request.status,
      errorCode: request.errorCode ?? 'NoError',
      timestamp: new Date(request.timestamp ?? Date.now()).toISOString(),
    });
    return {};
  });
  client.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
  if (client.protocol === 'ocpp2.0.1') {
    answerV201(client);
    return;
  }
  client.handle('Authorize', () => accepted);
  client.handle('StartTransaction', () => ({ transactionId: nextTransactionId++, ...accepted }));
  client.handle('StopTransaction', () => ({}));
  client.handle('MeterValues', ({ params }: { params: unknown }) => {
    const request = params as v16.MeterValuesRequest;
    for (const reading of request.meterValue) {
      io.to('dashboard').emit('meter_values_updated', {
        chargePointId: client.identity,
        transactionId: request.transactionId ?? null,
        connectorId: request.connectorId,
        ...figures(reading.sampledValue),
        timestamp: new Date(reading.timestamp).toISOString(),
      });
    }
    return {};
  });
  client.handle('DiagnosticsStatusNotification', () => ({}));
  client.handle('FirmwareStatusNotification', () => ({}));
});

/** The 2.0.1 messages a station sends besides those above, answered at once as the 1.6 ones are. */
function answerV201(client: {
  handle: (action: string, handler: (call: { params: unknown }) => unknown) => void;
}) {
  client.handle('Authorize', () => tokenAccepted);
  client.handle('TransactionEvent', ({ params }) =>
    (params as v201.TransactionEventRequest).idToken ? tokenAccepted : {},
  );
  client.handle('MeterValues', () => ({}));
  client.handle('NotifyReport', () => ({}));
}

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

function metrics(): string {
  const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
  const lines = [
    ['nodejs_eventloop_lag_mean_seconds', seconds(lag.mean)],
    ['nodejs_eventloop_lag_p50_seconds', seconds(lag.percentile(50))],
    ['nodejs_eventloop_lag_p99_seconds', seconds(lag.percentile(99))],
    ['nodejs_eventloop_lag_max_seconds', seconds(lag.max)],
    ['nodejs_heap_size_used_bytes', process.memoryUsage().heapUsed],
    ['nodejs_external_memory_bytes', process.memoryUsage().external],
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
server.on('upgrade', (request, socket, head) => {
  if ((request.url ?? '').startsWith('/ocpp/')) void rpc.handleUpgrade(request, socket as never, head);
});
const io = new SocketServer(server, { serveClient: false, destroyUpgrade: false });
io.on('connection', (socket) => {
  socket.on('join_room', (_payload: unknown, ack?: (answer: { ok: boolean }) => void) => {
    void socket.join('dashboard');
    ack?.({ ok: true });
  });
});
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
