import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TestPki, type Issued } from '../support/certificates.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { BOOT, connectChargePoint, eventually } from '../support/ocpp-client.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { httpsLogin, httpsRequest, serverCertificate } from '../support/tls-client.js';

describe('TLS (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  const pki = new TestPki();
  let ca: Issued;
  let certFile: string;
  let keyFile: string;
  let database: TestDatabase;
  let app: TestApp;
  const logLines: string[] = [];

  /** Puts a new pair in place the way renewals do: written aside, then renamed over the old. */
  const replaceFiles = (cert: string, key: string) => {
    writeFileSync(`${certFile}.new`, cert);
    writeFileSync(`${keyFile}.new`, key);
    renameSync(`${certFile}.new`, certFile);
    renameSync(`${keyFile}.new`, keyFile);
  };

  beforeAll(async () => {
    ca = pki.ca('Test CA');
    const server = pki.issue('server', 'first.cimorings.test', { issuer: ca, server: true });
    certFile = join(pki.dir, 'live.crt');
    keyFile = join(pki.dir, 'live.key');
    writeFileSync(certFile, server.cert);
    writeFileSync(keyFile, server.key);
    database = await createTestDatabase('sqlite');
    app = await startTestApp({
      databaseUrl: database.url,
      env: { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, OCPP_UNKNOWN_STATIONS: 'accept' },
      logLines,
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    pki.close();
  });

  it('serves HTTPS, WSS (OCPP) and Socket.IO on the one port', async () => {
    expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsRequest(`${app.url}/api/health`, { ca: ca.cert });
    expect(health.status).toBe(200);
    await expect(fetch(`${app.url.replace('https', 'http')}/api/health`)).rejects.toThrow();

    const token = await httpsLogin(app.url, ca.cert, 'admin', ADMIN_PASSWORD);

    const station = await connectChargePoint(app.url, 'TLS-1', { tls: { ca: ca.cert } });
    expect(await station.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    await station.close();

    const socket = io(app.url, {
      auth: { token },
      ca: ca.cert,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.close();
  });

  it('speaks TLS 1.2 or later with forward-secret AEAD suites only', async () => {
    const tls12 = await serverCertificate(app.url, { ca: ca.cert, maxVersion: 'TLSv1.2' });
    expect(tls12.subject.CN).toBeDefined();
    await expect(
      serverCertificate(app.url, {
        ca: ca.cert,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      }),
    ).rejects.toThrow();
    // RSA key exchange and CBC: no forward secrecy, refused although TLS 1.2.
    await expect(
      serverCertificate(app.url, { ca: ca.cert, maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA:AES256-SHA' }),
    ).rejects.toThrow();
  });

  it('serves a replaced certificate to new connections without a restart, and keeps it over a bad pair', async () => {
    expect((await serverCertificate(app.url, { ca: ca.cert })).subject.CN).toBe('first.cimorings.test');
    const renewed = pki.issue('renewed', 'renewed.cimorings.test', { issuer: ca, server: true });
    replaceFiles(renewed.cert, renewed.key);
    await eventually(
      async () => (await serverCertificate(app.url, { ca: ca.cert })).subject.CN === 'renewed.cimorings.test',
    );

    // A key that does not belong to the certificate: logged, and the renewed pair stays in use.
    const stranger = pki.issue('stranger', 'stranger.cimorings.test', { issuer: ca, server: true });
    replaceFiles(renewed.cert, stranger.key);
    await eventually(() => logLines.some((line) => line.includes('cannot be used: the previous ones stay')));
    expect((await serverCertificate(app.url, { ca: ca.cert })).subject.CN).toBe('renewed.cimorings.test');
    const health = await httpsRequest(`${app.url}/api/health`, { ca: ca.cert });
    expect(health.status).toBe(200);
  });
});

describe('TLS configuration', () => {
  it('names the missing half when only the certificate or only the key is given', () => {
    for (const env of [{ TLS_CERT_FILE: '/etc/cert.pem' }, { TLS_KEY_FILE: '/etc/key.pem' }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(/TLS_(CERT|KEY)_FILE needs TLS_(KEY|CERT)_FILE/);
    }
    expect(() => loadConfig({ TLS_CLIENT_CA_FILE: '/etc/ca.pem' })).toThrow(
      /TLS_CLIENT_CA_FILE needs TLS_CERT_FILE/,
    );
    expect(() => loadConfig({ TLS_PROXY_CLIENT_CERT_HEADER: 'X-Client-Cert' })).toThrow(
      /TLS_PROXY_CLIENT_CERT_HEADER needs TRUST_PROXY/,
    );
  });

  it('refuses to start on a file it cannot read, naming it', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      await expect(
        startTestApp({
          databaseUrl: database.url,
          env: { TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: '/nonexistent/key.pem' },
        }),
      ).rejects.toThrow(/TLS_CERT_FILE \/nonexistent\/cert.pem cannot be read/);
    } finally {
      await database.drop();
    }
  });
});
