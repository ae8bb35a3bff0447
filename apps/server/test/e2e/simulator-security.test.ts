import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargePoint } from '@cimorings/simulator';
import { eventually, ocppUrl } from '../support/ocpp-client.js';
import { SecurityApp } from '../support/security-app.js';

describe('the simulator through the OCPP 1.6 security extension over TLS', () => {
  const security = new SecurityApp();
  let cp: SimulatedChargePoint;
  const events: string[] = [];

  beforeAll(async () => {
    await security.start('sqlite');
    const password = await security.station('SIM-SEC', 2);
    cp = new SimulatedChargePoint({
      id: 'SIM-SEC',
      url: ocppUrl(security.app.url),
      password,
      tls: { ca: security.serverCa.cert },
      fileTransferStepMs: 20,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
    });
    cp.on('command', ({ action }) => void events.push(action));
    await cp.start();
    await cp.waitFor('accepted');
  });
  afterAll(async () => {
    await cp?.stop({ stopSessions: false });
    await security.close();
  });

  const command = async (action: string, body: unknown) => {
    const response = await security.api('POST', `/api/stations/SIM-SEC/commands/${action}`, body);
    expect(response.status, `${action}: ${response.text}`).toBe(200);
    return response.body;
  };
  const station = async () => (await security.api('GET', '/api/stations/SIM-SEC')).body;

  it('gets its certificate signed, is raised to profile 3 and reconnects with the certificate', async () => {
    expect(
      await command('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    ).toEqual({
      status: 'Accepted',
    });
    await eventually(() => cp.security.certificate !== null);
    const listed = (await security.certificates('SIM-SEC')).body;
    expect(listed.total).toBe(1);
    expect(listed.items[0].serialNumber).toBe(
      new X509Certificate(cp.security.certificate ?? '').serialNumber,
    );

    // The station must be able to check our server certificate first.
    const root = { certificateType: 'CentralSystemRootCertificate', certificate: security.serverCa.cert };
    expect(await command('InstallCertificate', root)).toEqual({ status: 'Accepted' });
    const disconnected = cp.waitFor('disconnected');
    const raised = await security.api('PATCH', '/api/stations/SIM-SEC', { securityProfile: 3 });
    expect(raised.status, raised.text).toBe(200);
    expect(cp.configuration.read(['SecurityProfile']).configurationKey[0]?.value).toBe('3');
    // The hard Reset makes it reconnect: with its certificate, which profile 3 now requires.
    await disconnected;
    const reaccepted = cp.waitFor('accepted');
    await reaccepted;
    expect(events).toContain('Reset');
    expect((await station()).securityProfile).toBe(3);
    expect((await security.events('SIM-SEC')).body.total).toBe(0);
  });

  it('installs and lists root certificates, uploads its log and updates signed firmware', async () => {
    const certificate = security.serverCa.cert;
    const install = { certificateType: 'CentralSystemRootCertificate', certificate };
    expect(await command('InstallCertificate', install)).toEqual({ status: 'Accepted' });
    const ids = await command('GetInstalledCertificateIds', {
      certificateType: 'CentralSystemRootCertificate',
    });
    expect(ids.status).toBe('Accepted');
    expect(ids.certificateHashData[0].serialNumber).toBe(
      new X509Certificate(certificate).serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    );
    expect(await command('DeleteCertificate', { certificateHashData: ids.certificateHashData[0] })).toEqual({
      status: 'Accepted',
    });

    const getLog = {
      logType: 'SecurityLog',
      requestId: 1,
      log: { remoteLocation: 'ftp://example.test/logs' },
    };
    expect(await command('GetLog', getLog)).toEqual({ status: 'Accepted', filename: 'security.log' });
    await eventually(async () => (await station()).logStatus === 'Uploaded');

    const firmware = {
      location: 'https://example.test/fw.bin',
      retrieveDateTime: new Date().toISOString(),
      signature: 'c2lnbmF0dXJl',
    };
    expect(await command('SignedUpdateFirmware', { requestId: 2, firmware })).toEqual({ status: 'Accepted' });
    await eventually(async () => (await station()).signedFirmwareStatus === 'Installed');

    await cp.security.sendSecurityEvent('TamperDetectionActivated', 'lid opened');
    expect((await security.events('SIM-SEC')).body.items[0]).toMatchObject({
      type: 'TamperDetectionActivated',
      techInfo: 'lid opened',
      source: 'station',
    });
  });
});
