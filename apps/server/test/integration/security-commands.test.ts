import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../support/certificates.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, ocppUrl, upgradeStatus } from '../support/ocpp-client.js';
import { SecurityApp, waitFor, type Answers } from '../support/security-app.js';
import { notifySecurityEvent, signedFirmware } from '../support/security-station.js';
import { startTestApp } from '../support/test-app.js';
import { serverCertificate } from '../support/tls-client.js';

const basic = (id: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`,
});

describe.each(DIALECTS)('OCPP 1.6 security extension compliance cases on %s', (dialect) => {
  const security = new SecurityApp();
  const answers: Answers = {};
  let station: Awaited<ReturnType<SecurityApp['connect']>>;
  let password: string;
  beforeAll(async () => {
    await security.start(dialect);
    password = await security.station('OCA-1', 2);
    station = await security.connect('OCA-1', { password }, answers);
  });
  afterAll(async () => {
    await station?.close();
    await security.close();
  });
  const command = (action: string, body: unknown) =>
    security.api('POST', `/api/stations/OCA-1/commands/${action}`, body);

  it('TC_086_CSMS TLS - server-side certificate - Valid certificate, TC_085_CSMS Basic Authentication - Valid username/password combination: serves TLS 1.2+ and admits the right Basic auth password only', async () => {
    const password = await security.station('OCA-2', 2);
    const peer = await serverCertificate(security.app.url, { ca: security.serverCa.cert });
    expect(peer.subject.CN).toBe('csms.cimorings.test');
    await expect(
      serverCertificate(security.app.url, {
        ca: security.serverCa.cert,
        maxVersion: 'TLSv1.1',
        minVersion: 'TLSv1',
      }),
    ).rejects.toThrow();
    const url = `${ocppUrl(security.app.url)}/OCA-2`;
    const tls = { ca: security.serverCa.cert };
    expect(await upgradeStatus(url, { tls, headers: basic('OCA-2', 'wrong-password-123') })).toBe(401);
    // ws:// is refused for a profile 2 station whatever its password.
    expect(await upgradeStatus(url.replace('wss:', 'ws:'), { headers: basic('OCA-2', password) })).not.toBe(
      101,
    );
    expect(await upgradeStatus(url, { tls, headers: basic('OCA-2', password) })).toBe(101);
  });

  it('TC_075_1_CSMS Install a certificate on the Charge Point - ManufacturerRootCertificate, TC_075_2_CSMS - CentralSystemRootCertificate, TC_076_CSMS Delete a specific certificate from the Charge Point: installs, lists and deletes root certificates', async () => {
    const installed: unknown[] = [];
    answers.InstallCertificate = (params) => {
      installed.push(params);
      return { status: 'Accepted' };
    };
    for (const certificateType of ['ManufacturerRootCertificate', 'CentralSystemRootCertificate']) {
      const answer = await command('InstallCertificate', {
        certificateType,
        certificate: security.serverCa.cert,
      });
      expect(answer.body).toEqual({ status: 'Accepted' });
    }
    expect(installed).toHaveLength(2);
    const hashData = {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'a'.repeat(64),
      issuerKeyHash: 'b'.repeat(64),
      serialNumber: '01',
    };
    answers.GetInstalledCertificateIds = (params) => {
      expect(params).toEqual({ certificateType: 'CentralSystemRootCertificate' });
      return { status: 'Accepted', certificateHashData: [hashData] };
    };
    const ids = await command('GetInstalledCertificateIds', {
      certificateType: 'CentralSystemRootCertificate',
    });
    expect(ids.body).toEqual({ status: 'Accepted', certificateHashData: [hashData] });
    answers.DeleteCertificate = (params) => {
      expect(params).toEqual({ certificateHashData: hashData });
      return { status: 'Accepted' };
    };
    expect((await command('DeleteCertificate', { certificateHashData: hashData })).body).toEqual({
      status: 'Accepted',
    });
  });

  it('refuses InstallCertificate and CertificateSigned with garbage or chains that do not verify, sending nothing', async () => {
    let sent = 0;
    answers.InstallCertificate = () => ++sent && { status: 'Accepted' };
    answers.CertificateSigned = () => ++sent && { status: 'Accepted' };
    const leaf = security.pki.issue('oca-leaf', 'OCA-1', { issuer: security.stationCa });
    const otherCa = security.pki.ca('Other CA');
    const garbage = [
      'garbage',
      '-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n',
      `${security.serverCa.cert}trailing text`,
      `${security.serverCa.cert}${security.stationCa.cert}`,
      leaf.cert,
    ];
    for (const certificate of garbage) {
      const answer = await command('InstallCertificate', {
        certificateType: 'CentralSystemRootCertificate',
        certificate,
      });
      expect(answer.status, certificate).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { fields: ['certificate'] },
      });
    }
    for (const certificateChain of [
      'garbage',
      `${leaf.cert}${otherCa.cert}`,
      `${security.stationCa.cert}${leaf.cert}`,
      `${leaf.cert}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
    ]) {
      const answer = await command('CertificateSigned', { certificateChain });
      expect(answer.status, certificateChain).toBe(400);
      expect(answer.body.error.details.fields).toEqual(['certificateChain']);
    }
    expect((await command('InstallCertificate', { certificateType: 'Nope', certificate: 'x' })).status).toBe(
      400,
    );
    expect(sent).toBe(0);
    // A chain that verifies goes through.
    expect(
      (await command('CertificateSigned', { certificateChain: `${leaf.cert}${security.stationCa.cert}` }))
        .body,
    ).toEqual({
      status: 'Accepted',
    });
    expect(sent).toBe(1);
  });

  it('TC_077_CSMS Invalid ChargePointCertificate Security Event: records a certificate the station would not take, and the event it reports', async () => {
    const { csr } = security.pki.csr('oca-077', '/CN=OCA-1');
    answers.ExtendedTriggerMessage = () => {
      setImmediate(() => void station.call('SignCertificate', { csr }));
      return { status: 'Accepted' };
    };
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Rejected' });
    expect(
      (await command('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })).body,
    ).toEqual({
      status: 'Accepted',
    });
    const { certificateChain } = await signed;
    const timestamp = await notifySecurityEvent(station, 'InvalidChargePointCertificate');
    const serial = new X509Certificate(certificateChain as string).serialNumber;
    const recorded = async () => (await security.events('OCA-1')).body.items as { type: string }[];
    await eventually(async () =>
      (await recorded()).some((event) => event.type === 'ChargePointCertificateNotInstalled'),
    );
    const items = (await security.events('OCA-1')).body.items as { type: string; techInfo?: string }[];
    expect(items).toEqual(
      expect.arrayContaining([
        { type: 'InvalidChargePointCertificate', timestamp, source: 'station' },
        expect.objectContaining({
          type: 'ChargePointCertificateNotInstalled',
          techInfo: `certificate ${serial}: the station answered CertificateSigned Rejected`,
          source: 'server',
        }),
      ]),
    );
  });

  it('TC_078_CSMS Invalid CentralSystemCertificate Security Event: stores InvalidCentralSystemCertificate after a refused InstallCertificate', async () => {
    answers.InstallCertificate = () => ({ status: 'Rejected' });
    const answer = await command('InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: security.stationCa.cert,
    });
    expect(answer.body).toEqual({ status: 'Rejected' });
    const timestamp = await notifySecurityEvent(station, 'InvalidCentralSystemCertificate');
    expect((await security.events('OCA-1')).body.items[0]).toEqual({
      type: 'InvalidCentralSystemCertificate',
      timestamp,
      source: 'station',
    });
  });

  it('TC_079_CSMS Get Security Log: GetLog, and the LogStatusNotifications shown on the station', async () => {
    const request = {
      logType: 'SecurityLog',
      requestId: 7,
      log: { remoteLocation: 'ftp://logs.example.test/oca-1' },
    };
    answers.GetLog = (params) => {
      expect(params).toEqual(request);
      return { status: 'Accepted', filename: 'security.log' };
    };
    expect((await command('GetLog', request)).body).toEqual({ status: 'Accepted', filename: 'security.log' });
    expect(await station.call('LogStatusNotification', { status: 'Uploading', requestId: 7 })).toEqual({});
    expect((await security.api('GET', '/api/stations/OCA-1')).body.logStatus).toBe('Uploading');
    await station.call('LogStatusNotification', { status: 'Uploaded', requestId: 7 });
    expect((await security.api('GET', '/api/stations/OCA-1')).body.logStatus).toBe('Uploaded');
    expect((await command('GetLog', { logType: 'NoSuchLog', requestId: 1, log: {} })).status).toBe(400);
  });

  it('TC_080_CSMS Secure Firmware Update: SignedUpdateFirmware with the configured signing certificate, and its status notifications', async () => {
    const firmware = signedFirmware('v2.bin', 'signature');
    const update = waitFor(answers, 'SignedUpdateFirmware', { status: 'Accepted' });
    expect((await command('SignedUpdateFirmware', { requestId: 3, firmware })).body).toEqual({
      status: 'Accepted',
    });
    expect(await update).toEqual({
      requestId: 3,
      firmware: {
        ...firmware,
        signingCertificate: new X509Certificate(security.firmwareSigner.cert).toString(),
      },
    });
    // One given in the request is sent as it is, once it reads as a certificate.
    const own = waitFor(answers, 'SignedUpdateFirmware', { status: 'Accepted' });
    const signingCertificate = security.serverCa.cert;
    await command('SignedUpdateFirmware', { requestId: 4, firmware: { ...firmware, signingCertificate } });
    expect(((await own).firmware as { signingCertificate: string }).signingCertificate).toBe(
      signingCertificate,
    );
    const bad = await command('SignedUpdateFirmware', {
      requestId: 5,
      firmware: { ...firmware, signingCertificate: 'x' },
    });
    expect(bad.body.error.details.fields).toEqual(['firmware.signingCertificate']);
    for (const status of ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']) {
      expect(await station.call('SignedFirmwareStatusNotification', { status, requestId: 3 })).toEqual({});
    }
    expect((await security.api('GET', '/api/stations/OCA-1')).body.signedFirmwareStatus).toBe('Installed');
  });

  it('TC_073_CSMS Update Charge Point Password for HTTP Basic Authentication: a new AuthorizationKey the station accepted is its password from then on', async () => {
    answers.ChangeConfiguration = () => ({ status: 'Accepted' });
    const key = 'OCA_OCTT_admin_test_key';
    expect((await command('ChangeConfiguration', { key: 'AuthorizationKey', value: key })).body).toEqual({
      status: 'Accepted',
    });
    const url = `${ocppUrl(security.app.url)}/OCA-1`;
    const tls = { ca: security.serverCa.cert };
    expect(await upgradeStatus(url, { tls, headers: basic('OCA-1', password) })).toBe(401);
    expect(await upgradeStatus(url, { tls, headers: basic('OCA-1', key) })).toBe(101);
  });
});

/** Each case starts a server of its own (OCPP_CERTIFICATE_RENEWAL_DAYS, or no CA): beyond the 5 s default on a busy machine. */
describe.each(DIALECTS)('certificate renewal and a server without a CA on %s', (dialect) => {
  it('asks a connected station to renew within OCPP_CERTIFICATE_RENEWAL_DAYS of expiry, once', async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    const security = await new SecurityApp().start(
      dialect,
      { OCPP_CERTIFICATE_RENEWAL_DAYS: '30' },
      {
        clock,
        certificateRenewalIntervalMs: 50,
      },
    );
    try {
      const answers: Answers = {};
      const station = await security.connect(
        'REN-1',
        { password: await security.station('REN-1', 2) },
        answers,
      );
      let triggers = 0;
      answers.ExtendedTriggerMessage = (params) => {
        expect(params).toEqual({ requestedMessage: 'SignChargePointCertificate' });
        triggers++;
        return { status: 'Accepted' };
      };
      answers.CertificateSigned = () => ({ status: 'Accepted' });
      const sign = async () => {
        const { csr } = security.pki.csr(`ren-${Date.now()}`, '/CN=REN-1');
        expect(await station.call('SignCertificate', { csr })).toEqual({ status: 'Accepted' });
      };
      await sign();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(triggers).toBe(0);
      offsetMs = 340 * 86_400_000;
      await eventually(() => triggers === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(triggers).toBe(1);
      // Renewed: the new certificate is not due, and the old one is not asked about again.
      await sign();
      offsetMs += 2 * 86_400_000;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(triggers).toBe(1);
      await security.login();
      expect((await security.certificates('REN-1')).body.total).toBe(2);
      await station.close();
    } finally {
      await security.close();
    }
  }, 30_000);

  it('answers Rejected to SignCertificate when no OCPP CA is configured, with a log line', async () => {
    const pki = new TestPki();
    const database = await createTestDatabase(dialect);
    const lines: string[] = [];
    const app = await startTestApp({
      databaseUrl: database.url,
      env: { OCPP_UNKNOWN_STATIONS: 'accept' },
      logLines: lines,
    });
    try {
      const { client } = await bootChargePoint(app.url, 'NOCA-1');
      const { csr } = pki.csr('noca', '/CN=NOCA-1');
      expect(await client.call('SignCertificate', { csr })).toEqual({ status: 'Rejected' });
      expect(lines.some((line) => line.includes('no OCPP CA is configured'))).toBe(true);
      await client.close();
    } finally {
      await app.close();
      await database.drop();
      pki.close();
    }
  }, 30_000);
});
