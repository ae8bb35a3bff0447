import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPki, type Issued } from '../support/certificates.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { BOOT, connectChargePoint, ocppUrl, upgradeStatus } from '../support/ocpp-client.js';
import { notifySecurityEvent } from '../support/security-station.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { httpsLogin, httpsRequest } from '../support/tls-client.js';

const basic = (id: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
});

describe.each(DIALECTS)('security profiles over TLS on %s', (dialect) => {
  const pki = new TestPki();
  let serverCa: Issued;
  let stationCa: Issued;
  let database: TestDatabase;
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    serverCa = pki.ca('Server CA');
    stationCa = pki.ca('Station CA');
    const server = pki.issue('server', 'csms.cimorings.test', { issuer: serverCa, server: true });
    database = await createTestDatabase(dialect);
    app = await startTestApp({
      databaseUrl: database.url,
      env: {
        TLS_CERT_FILE: server.certFile,
        TLS_KEY_FILE: server.keyFile,
        TLS_CLIENT_CA_FILE: stationCa.certFile,
        OCPP_UNKNOWN_STATIONS: 'reject',
      },
    });
    // The API answers a client without a certificate although the server asks for one.
    admin = await httpsLogin(app.url, serverCa.cert, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    pki.close();
  });

  const api = (method: string, path: string, body?: unknown) =>
    httpsRequest(`${app.url}${path}`, { ca: serverCa.cert }, { method, token: admin, body });
  const wss = (id: string) => `${ocppUrl(app.url)}/${id}`;
  const events = async (id: string) => (await api('GET', `/api/stations/${id}/security-events`)).body;

  it('keeps securityProfile on the station: 1 with a password, 0 without, or as given', async () => {
    expect((await api('POST', '/api/stations', { chargePointId: 'SP-DEF', name: 'd' })).body).toMatchObject({
      securityProfile: 1,
      hasOcppPassword: true,
    });
    const open = await api('POST', '/api/stations', { chargePointId: 'SP-0', name: 'o', ocppPassword: null });
    expect(open.body.securityProfile).toBe(0);
    const two = await api('POST', '/api/stations', {
      chargePointId: 'SP-2',
      name: 'two',
      ocppPassword: 'profile-two-secret',
      securityProfile: 2,
    });
    expect(two.status, two.text).toBe(201);
    expect(two.body.securityProfile).toBe(2);
    expect((await api('GET', '/api/stations/SP-2')).body.securityProfile).toBe(2);
    const three = await api('POST', '/api/stations', {
      chargePointId: 'SP-3',
      name: 'three',
      ocppPassword: null,
      securityProfile: 3,
    });
    expect(three.status, three.text).toBe(201);

    // A profile that needs a password without one, and one outside 0..3, are refused.
    const bad = await api('POST', '/api/stations', {
      chargePointId: 'SP-BAD',
      name: 'bad',
      ocppPassword: null,
      securityProfile: 2,
    });
    expect(bad.status).toBe(400);
    expect((await api('PATCH', '/api/stations/SP-0', { securityProfile: 1 })).status).toBe(400);
    expect((await api('PATCH', '/api/stations/SP-0', { securityProfile: 4 })).status).toBe(400);
    const raised = await api('PATCH', '/api/stations/SP-DEF', { securityProfile: 2 });
    expect(raised.status).toBe(200);
    expect(raised.body.securityProfile).toBe(2);
  });

  it('admits a profile 2 station over TLS with its password only, recording each refusal', async () => {
    expect(
      await upgradeStatus(wss('SP-2'), {
        tls: { ca: serverCa.cert },
        headers: basic('SP-2', 'wrong-password-1'),
      }),
    ).toBe(401);
    expect(await upgradeStatus(wss('SP-2'), { tls: { ca: serverCa.cert } })).toBe(401);
    const station = await connectChargePoint(app.url, 'SP-2', {
      password: 'profile-two-secret',
      tls: { ca: serverCa.cert },
    });
    expect(await station.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    await station.close();

    const recorded = await events('SP-2');
    expect(recorded.total).toBe(2);
    expect(recorded.items).toEqual([
      expect.objectContaining({ type: 'FailedToAuthenticateAtCentralSystem', techInfo: 'no password sent' }),
      expect.objectContaining({ type: 'FailedToAuthenticateAtCentralSystem', techInfo: 'wrong password' }),
    ]);
    expect(recorded.items.every((event: { source: string }) => event.source === 'server')).toBe(true);
  });

  it('admits a profile 3 station with its own certificate only, and stores what it reports', async () => {
    const own = pki.issue('sp3', 'SP-3', { issuer: stationCa });
    const other = pki.issue('other', 'SP-2', { issuer: stationCa });
    const selfSigned = pki.issue('self', 'SP-3');
    const expired = pki.expired('expired', 'SP-3', stationCa);
    const withCert = (cert: Issued) => ({ ca: serverCa.cert, cert: cert.cert, key: cert.key });

    expect(await upgradeStatus(wss('SP-3'), { tls: { ca: serverCa.cert } })).toBe(401);
    expect(await upgradeStatus(wss('SP-3'), { tls: withCert(other) })).toBe(401);
    expect(await upgradeStatus(wss('SP-3'), { tls: withCert(selfSigned) })).toBe(401);
    expect(await upgradeStatus(wss('SP-3'), { tls: withCert(expired) })).toBe(401);
    // A certificate of another station is refused at any profile, even 0.
    expect(await upgradeStatus(wss('SP-0'), { tls: withCert(other) })).toBe(401);

    const station = await connectChargePoint(app.url, 'SP-3', { tls: withCert(own) });
    expect(await station.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    const timestamp = await notifySecurityEvent(station, 'TamperDetectionActivated', 'enclosure opened');
    await station.close();

    const recorded = await events('SP-3');
    expect(recorded.total).toBe(5);
    expect(recorded.items[0]).toEqual({
      type: 'TamperDetectionActivated',
      timestamp,
      techInfo: 'enclosure opened',
      source: 'station',
    });
    expect(recorded.items.slice(1).map((event: { type: string }) => event.type)).toEqual([
      'InvalidChargePointCertificate',
      'InvalidChargePointCertificate',
      'InvalidChargePointCertificate',
      'SecurityProfileNotMet',
    ]);
    expect(recorded.items[1].techInfo).toMatch(/not accepted: CERT_HAS_EXPIRED/);
    expect(recorded.items[2].techInfo).toMatch(/not accepted/);
    expect(recorded.items[3].techInfo).toMatch(/certificate of SP-2, not SP-3/);
    expect((await events('SP-0')).items[0]).toMatchObject({
      type: 'InvalidChargePointCertificate',
      source: 'server',
    });
  });

  it('lists security events with the station view permission, within the station scope', async () => {
    const anonymous = await httpsRequest(`${app.url}/api/stations/SP-3/security-events`, {
      ca: serverCa.cert,
    });
    expect(anonymous.status).toBe(401);
    expect((await api('GET', '/api/stations/NOPE/security-events')).status).toBe(404);
    const user = await api('POST', '/api/users', {
      username: 'sp-viewer',
      password: 'sp-viewer-password-1',
      roles: ['viewer'],
      allowedStations: ['SP-2'],
    });
    expect(user.status, user.text).toBe(201);
    const token = await httpsLogin(app.url, serverCa.cert, 'sp-viewer', 'sp-viewer-password-1');
    const asViewer = (id: string) =>
      httpsRequest(`${app.url}/api/stations/${id}/security-events`, { ca: serverCa.cert }, { token });
    expect((await asViewer('SP-2')).status).toBe(200);
    expect((await asViewer('SP-3')).status).toBe(404);
  });
});

describe.each(DIALECTS)('security profiles behind a TLS-terminating proxy on %s', (dialect) => {
  const pki = new TestPki();
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    // 127.0.0.1 stands for a TLS-terminating proxy in front of the server.
    app = await startTestApp({
      databaseUrl: database.url,
      env: { TRUST_PROXY: '127.0.0.1', TLS_PROXY_CLIENT_CERT_HEADER: 'X-Client-Cert' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    pki.close();
  });

  it('refuses a profile 2 station over ws:// unless a trusted proxy says it came over TLS', async () => {
    const { token } = await app.login();
    const created = await app.request('POST', '/api/stations', {
      token,
      body: { chargePointId: 'PLAIN-2', name: 'p', ocppPassword: 'plain-two-secret', securityProfile: 2 },
    });
    expect(created.status).toBe(201);
    // Profile 2 is refused over ws://: the onboarding values say wss:// whatever the caller used.
    const onboarding = await app.request('GET', '/api/stations/PLAIN-2/onboarding', { token });
    expect(onboarding.body).toMatchObject({ securityProfile: 2, passwordRequired: true });
    expect(onboarding.body.ocppUrl).toMatch(/^wss:\/\//);
    const url = `${ocppUrl(app.url)}/PLAIN-2`;
    expect(await upgradeStatus(url, { headers: basic('PLAIN-2', 'plain-two-secret') })).toBe(401);
    expect(
      await upgradeStatus(url, {
        headers: { ...basic('PLAIN-2', 'plain-two-secret'), 'x-forwarded-proto': 'https' },
      }),
    ).toBe(101);
    const recorded = await app.request('GET', '/api/stations/PLAIN-2/security-events', { token });
    expect(recorded.body).toEqual({
      items: [
        {
          type: 'SecurityProfileNotMet',
          timestamp: expect.any(String),
          techInfo: 'profile 2 needs TLS; connected without',
          source: 'server',
        },
      ],
      total: 1,
    });
  });

  it('takes a profile 3 station certificate from the header of the proxy, as PEM or base64 DER', async () => {
    const { token } = await app.login();
    const created = await app.request('POST', '/api/stations', {
      token,
      body: { chargePointId: 'PROXY-3', name: 'p3', ocppPassword: null, securityProfile: 3 },
    });
    expect(created.status).toBe(201);
    const onboarding = await app.request('GET', '/api/stations/PROXY-3/onboarding', { token });
    expect(onboarding.body).toMatchObject({
      securityProfile: 3,
      passwordRequired: false,
      basicAuthUsername: null,
    });
    const stationCa = pki.ca('Proxied station CA');
    const own = pki.issue('proxy-3', 'PROXY-3', { issuer: stationCa });
    const other = pki.issue('proxy-other', 'PLAIN-2', { issuer: stationCa });
    const der = (pem: string) => new X509Certificate(pem).raw.toString('base64');
    const url = `${ocppUrl(app.url)}/PROXY-3`;
    const https = { 'x-forwarded-proto': 'https' };

    expect(await upgradeStatus(url, { headers: https })).toBe(401);
    expect(
      await upgradeStatus(url, { headers: { ...https, 'x-client-cert': encodeURIComponent(other.cert) } }),
    ).toBe(401);
    expect(await upgradeStatus(url, { headers: { ...https, 'x-client-cert': 'garbage' } })).toBe(401);
    expect(
      await upgradeStatus(url, { headers: { ...https, 'x-client-cert': encodeURIComponent(own.cert) } }),
    ).toBe(101);
    expect(await upgradeStatus(url, { headers: { 'x-client-cert': der(own.cert) } })).toBe(101);

    const recorded = await app.request('GET', '/api/stations/PROXY-3/security-events', { token });
    expect(recorded.body.items.map((event: { type: string }) => event.type)).toEqual([
      'InvalidChargePointCertificate',
      'InvalidChargePointCertificate',
      'SecurityProfileNotMet',
    ]);
  });
});
