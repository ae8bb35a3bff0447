import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ocppRpc from 'ocpp-rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOT } from '../support/ocpp-client.js';
import { startServerProcess, waitUntilReady } from '../support/server-process.js';

const DEPLOY = resolve(import.meta.dirname, '../../../../deploy');
const run = promisify(execFile);

/** Runs a tool that the deployment examples are checked with; a missing one fails the test. */
async function check(tool: string, args: string[]) {
  return run(tool, args).then(
    (done) => ({ code: 0, output: done.stdout + done.stderr }),
    (failed: NodeJS.ErrnoException & { code: number | string; stdout?: string; stderr?: string }) => {
      if (failed.code === 'ENOENT') {
        throw new Error(
          `${tool} is not installed: apt-get install ${tool === 'haproxy' ? 'haproxy' : 'systemd'}`,
        );
      }
      return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    },
  );
}

/**
 * deploy/haproxy.cfg with the certificate at `pem`, and (for a proxy to run in a test) its
 * ports and its server's address moved, and its syslog socket dropped.
 */
function haproxyConfig(change: { pem: string; http?: number; https?: number; server?: string }): string {
  let config = readFileSync(join(DEPLOY, 'haproxy.cfg'), 'utf8');
  const replace = (from: string, to: string) => {
    expect(config).toContain(from);
    config = config.replaceAll(from, to);
  };
  replace('/etc/haproxy/certs/cimorings.pem', change.pem);
  if (change.http !== undefined) replace('bind :80\n', `bind 127.0.0.1:${change.http}\n`);
  if (change.https !== undefined) replace('bind :443 ', `bind 127.0.0.1:${change.https} `);
  if (change.server !== undefined) replace('server node1 127.0.0.1:3000 ', `server node1 ${change.server} `);
  if (change.http !== undefined) replace('    log /dev/log local0\n', '');
  return config;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/** A GET through the proxy from `localAddress`, trusting the test certificate; answers status, headers. */
function get(
  url: string,
  options: { ca?: string; localAddress?: string; headers?: Record<string, string> } = {},
) {
  const { protocol } = new URL(url);
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<{ status: number; location: string | undefined }>((answered, failed) => {
    const request = send(url, {
      ca: options.ca,
      checkServerIdentity: () => undefined,
      localAddress: options.localAddress,
      headers: options.headers,
    });
    request.on('response', (response) => {
      response.resume();
      answered({ status: response.statusCode ?? 0, location: response.headers.location });
    });
    request.on('error', failed);
    request.end();
  });
}

describe('the deployment examples in deploy/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-deploy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pem = join(dir, 'cimorings.pem');
  let certificate = '';
  beforeAll(async () => {
    const key = join(dir, 'key.pem');
    const certificateFile = join(dir, 'certificate.pem');
    await run(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=cimorings.test'].concat([
        '-keyout',
        key,
        '-out',
        certificateFile,
      ]),
    );
    certificate = readFileSync(certificateFile, 'utf8');
    writeFileSync(pem, certificate + readFileSync(key, 'utf8'));
  });

  it('haproxy accepts deploy/haproxy.cfg (with a certificate where it expects one)', async () => {
    const copy = join(dir, 'haproxy.cfg');
    writeFileSync(copy, haproxyConfig({ pem }));
    const result = await check('haproxy', ['-c', '-f', copy]);
    expect(result.output).toContain('Configuration file is valid');
    expect(result.code).toBe(0);
  });

  it('systemd accepts deploy/cimorings.service (with a Node.js where it expects one)', async () => {
    const unit = readFileSync(join(DEPLOY, 'cimorings.service'), 'utf8');
    expect(unit).toContain('ExecStart=/opt/cimorings/.node/bin/node ');
    const copy = join(dir, 'cimorings.service');
    writeFileSync(copy, unit.replace('/opt/cimorings/.node/bin/node', process.execPath));

    const result = await check('systemd-analyze', ['verify', copy]);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('HAProxy with deploy/haproxy.cfg serves the API over TLS, wss:// OCPP, and the client address the server trusts', async () => {
    const server = startServerProcess(dir, {
      DATABASE_URL: `sqlite:${join(dir, 'proxied.db')}`,
      ADMIN_PASSWORD: 'proxied-admin-password',
      OCPP_UNKNOWN_STATIONS: 'accept',
      TRUST_PROXY: '127.0.0.1',
    });
    let proxy: ChildProcess | undefined;
    let charger: InstanceType<typeof ocppRpc.RPCClient> | undefined;
    try {
      const direct = new URL(await server.url);
      await waitUntilReady(direct.origin);
      const [http, https] = [await freePort(), await freePort()];
      const config = join(dir, 'haproxy-live.cfg');
      writeFileSync(config, haproxyConfig({ pem, http, https, server: direct.host }));
      proxy = spawn('haproxy', ['-db', '-f', config], { stdio: 'inherit' });
      const secure = `https://127.0.0.1:${https}`;
      for (
        let i = 0;
        i < 100 && (await get(`${secure}/api/ready`, { ca: certificate }).catch(() => null))?.status !== 200;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }

      expect((await get(`${secure}/api/ready`, { ca: certificate })).status).toBe(200);
      expect((await get(`${secure}/`, { ca: certificate })).status).toBe(200);
      expect(await get(`http://127.0.0.1:${http}/api/health`)).toEqual({
        status: 301,
        location: `https://127.0.0.1:${http}/api/health`,
      });
      expect((await get(`http://127.0.0.1:${http}/ocpp/PLAIN-1`)).status).toBe(403);

      // The client's own X-Forwarded-For is dropped; the server logs the address HAProxy saw.
      await get(`${secure}/api/cluster?from=second-loopback`, {
        ca: certificate,
        localAddress: '127.0.0.2',
        headers: { 'X-Forwarded-For': '203.0.113.9' },
      });
      // The server writes its log line after it answered: wait for it to come through the pipe.
      const logged = () =>
        server
          .output()
          .split('\n')
          .find((entry) => entry.includes('second-loopback'));
      for (let i = 0; i < 100 && logged() === undefined; i++) await new Promise((r) => setTimeout(r, 50));
      const line = logged();
      expect(line).toContain('"remoteAddress":"127.0.0.2"');
      expect(line).not.toContain('203.0.113.9');

      const settings = {
        endpoint: `wss://127.0.0.1:${https}/ocpp`,
        identity: 'PROXIED-1',
        protocols: ['ocpp1.6'],
        strictMode: true,
        reconnect: false,
        wsOpts: { ca: certificate, checkServerIdentity: () => undefined },
      };
      charger = new ocppRpc.RPCClient(
        settings as unknown as ConstructorParameters<typeof ocppRpc.RPCClient>[0],
      );
      await charger.connect();
      expect(await charger.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    } finally {
      await charger?.close({ force: true });
      proxy?.kill('SIGTERM');
      await server.stop();
    }
  }, 60_000);
});
