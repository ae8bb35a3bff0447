import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint } from '../support/ocpp-client.js';
import { rawUpgradeStatus } from '../support/raw-upgrade.js';

/** Issue 10, item 1: no upgrade request, however malformed, may stop the server. */
describe.each(DIALECTS)('hostile WebSocket upgrades on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  const stillServing = async () => {
    expect((await app.request('GET', '/api/health')).status).toBe(200);
    const { client, boot } = await bootChargePoint(
      app.url,
      `ALIVE-${Math.random().toString(36).slice(2, 8)}`,
    );
    expect(boot.status).toBe('Accepted');
    await client.close();
  };

  it('answers 400 to a malformed percent-encoding in the charge point id and keeps serving', async () => {
    for (const path of ['/ocpp/%E0%A4%A', '/ocpp/%', '/ocpp/%zz', '/ocpp/CS%E0', '/ocpp/%E0%A4%A?x=1']) {
      expect(await rawUpgradeStatus(app.url, path)).toBe(400);
    }
    await stillServing();
  });

  it('answers 400 to ids that are huge, hold separators, dot segments or control characters', async () => {
    const paths = [
      `/ocpp/${'A'.repeat(8000)}`,
      `/ocpp/${'%41'.repeat(2000)}`,
      '/ocpp/a%2Fb',
      '/ocpp/..',
      '/ocpp/.',
      '/ocpp/%2E%2E',
      '/ocpp/CS%00',
      '/ocpp/CS%0D%0AX-Injected:%201',
      '/ocpp/CS%20ONE',
      '/ocpp/%F0%9F%94%8C',
      '/ocpp/',
    ];
    for (const path of paths) expect(await rawUpgradeStatus(app.url, path), path).toBe(400);
    const stations = await app.request('GET', '/api/stations?limit=100', { token: app.admin });
    expect(stations.status).toBe(200);
    await stillServing();
  });

  it('answers 404 to extra path segments and traversal, and to upgrades of unknown paths', async () => {
    for (const path of ['/ocpp/a/b', '/ocpp/../api/health', '/ocpp/CS1/..', '/other/CS1', '/']) {
      expect(await rawUpgradeStatus(app.url, path), path).toBe(404);
    }
    await stillServing();
  });

  it('answers 400 to a malformed or repeating subprotocol list, and 101 to a list that holds ocpp1.6', async () => {
    for (const protocol of ['ocpp1.6,ocpp1.6', ',,,', '', 'ocpp1.6 ocpp2.0.1', 'ocpp1.6,', 'ocpp1.6;q=1']) {
      expect(await rawUpgradeStatus(app.url, '/ocpp/SUBPROTOCOL-1', { protocol }), protocol).toBe(400);
    }
    expect(await rawUpgradeStatus(app.url, '/ocpp/SUBPROTOCOL-1', { protocol: 'ocpp2.0.1, ocpp1.6' })).toBe(
      101,
    );
    await stillServing();
  });

  it('survives clients that reset the connection in the middle of an upgrade', async () => {
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(app.url);
    await Promise.all(
      ['/ocpp/RESET-1', '/ocpp/%E0%A4%A', '/nowhere', '/socket.io/?EIO=4&transport=websocket'].map(
        (path) =>
          new Promise<void>((resolve) => {
            const socket = connect(Number(port), hostname, () => {
              socket.write(
                `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
                  'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
                  'Sec-WebSocket-Protocol: ocpp1.6\r\n\r\n',
              );
              // An RST instead of a FIN: the server's next write on this socket fails with ECONNRESET.
              socket.resetAndDestroy();
              resolve();
            });
            socket.on('error', () => resolve());
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stillServing();
  });
});
