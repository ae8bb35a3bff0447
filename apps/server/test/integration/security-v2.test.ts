import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, connectStation2 } from '../support/ocpp2-client.js';
import { SecurityApp } from '../support/security-app.js';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

/** A PEM CSR for `subject`, made with @peculiar/x509 (P-256, SHA-256) as a station's firmware would. */
async function csrFor(subject: string): Promise<string> {
  x509.cryptoProvider.set(globalThis.crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await globalThis.crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: algorithm,
  });
  return request.toString('pem');
}

describe.each(DIALECTS)('OCPP 2.0.1 certificate security on %s', (dialect) => {
  const security = new SecurityApp();
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  beforeAll(
    () =>
      security.start(
        dialect,
        { OCPP_CERTIFICATE_RENEWAL_DAYS: '30' },
        { clock, certificateRenewalIntervalMs: 50 },
      ),
    60_000,
  );
  afterAll(() => security.close());

  /** A booted 2.0.1 station over wss:// with its password; `calls` records what the server sent it. */
  async function station2(id: string, handlers: Record<string, (params: unknown) => unknown>) {
    const password = await security.station(id, 2);
    const calls: { action: string; params: unknown }[] = [];
    const recorded = Object.fromEntries(
      [
        'GetBaseReport',
        'CertificateSigned',
        'TriggerMessage',
        'SetNetworkProfile',
        'SetVariables',
        'Reset',
      ].map((action) => [
        action,
        (params: unknown) => {
          calls.push({ action, params });
          return (handlers[action] ?? (() => ({ status: 'Accepted' })))(params);
        },
      ]),
    );
    const client: TestChargePoint = await connectStation2(security.app.url, id, {
      password,
      tls: { ca: security.serverCa.cert },
      handlers: recorded,
    });
    expect(await client.call('BootNotification', BOOT2)).toMatchObject({ status: 'Accepted' });
    return { client, calls };
  }

  it('signs a 2.0.1 CSR and sends CertificateSigned the 2.0.1 way; renewal is a TriggerMessage (A02)', async () => {
    const { client, calls } = await station2('V2SEC-1', {});
    const csr = await csrFor('CN=V2SEC-1, O=Acme');
    expect(
      await client.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' }),
    ).toEqual({
      status: 'Accepted',
    });
    await eventually(() => calls.some((call) => call.action === 'CertificateSigned'));
    const signed = calls.find((call) => call.action === 'CertificateSigned')?.params as {
      certificateChain: string;
      certificateType: string;
    };
    expect(signed.certificateType).toBe('ChargingStationCertificate');
    const [own, ca] = (signed.certificateChain.match(PEM) ?? []).map((pem) => new X509Certificate(pem));
    expect(own?.subject).toBe('CN=V2SEC-1\nO=Acme');
    expect(own?.checkIssued(ca as X509Certificate)).toBe(true);
    expect(own?.verify(new X509Certificate(security.stationCa.cert).publicKey)).toBe(true);
    // Recorded as delivered, and listed.
    const listed = await security.certificates('V2SEC-1');
    expect(listed.body).toMatchObject({
      total: 1,
      items: [{ serialNumber: own?.serialNumber, revokedAt: null }],
    });

    // Near its expiry the station is asked for a new CSR with its own TriggerMessage, never 1.6's.
    offsetMs = 340 * 86_400_000;
    await eventually(() => calls.some((call) => call.action === 'TriggerMessage'));
    offsetMs = 0;
    expect(calls.filter((call) => call.action === 'TriggerMessage')).toEqual([
      { action: 'TriggerMessage', params: { requestedMessage: 'SignChargingStationCertificate' } },
    ]);
    await security.login();
    await client.close();
  });

  it("answers Rejected to garbage, another station's CN and V2G certificates, and records each", async () => {
    const { client, calls } = await station2('V2SEC-BAD', {});
    const cases = [
      { csr: await csrFor('CN=V2SEC-1') },
      { csr: 'not a certificate request' },
      { csr: '-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE REQUEST-----\n' },
      { csr: security.stationCa.cert, certificateType: 'ChargingStationCertificate' },
    ];
    for (const request of cases) {
      expect(await client.call('SignCertificate', request)).toEqual({ status: 'Rejected' });
    }
    expect(
      await client.call('SignCertificate', {
        csr: await csrFor('CN=V2SEC-BAD'),
        certificateType: 'V2GCertificate',
      }),
    ).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedCertType' } });
    // The connection stays usable, nothing was signed or sent, and the bad CSRs are security events.
    expect(await client.call('Heartbeat', {})).toMatchObject({ currentTime: expect.any(String) });
    expect((await security.certificates('V2SEC-BAD')).body).toEqual({ items: [], total: 0 });
    const events = (await security.events('V2SEC-BAD')).body;
    expect(events.total).toBe(cases.length);
    expect(events.items.map((event: { techInfo: string }) => event.techInfo)).toContain(
      'CSR names V2SEC-1, not V2SEC-BAD',
    );
    expect(calls.filter((call) => call.action !== 'GetBaseReport')).toEqual([]);
    await client.close();
  });

  it('refuses to raise the security profile of a connected 2.0.1 station without OCPP_PUBLIC_URL with 409, sending it nothing', async () => {
    const { client, calls } = await station2('V2SEC-RAISE', {});
    const raised = await security.api('PATCH', '/api/stations/V2SEC-RAISE', { securityProfile: 3 });
    expect(raised.status).toBe(409);
    expect(raised.body.error.code).toBe('CONFLICT');
    // The 2.x raise (SetNetworkProfile) needs the URL to give the station: security-raise-v2.test.ts.
    expect(raised.body.error.message).toMatch(/OCPP_PUBLIC_URL is not set/);
    expect((await security.api('GET', '/api/stations/V2SEC-RAISE')).body.securityProfile).toBe(2);
    expect(calls.filter((call) => call.action !== 'GetBaseReport')).toEqual([]);
    expect(await client.call('Heartbeat', {})).toMatchObject({ currentTime: expect.any(String) });
    await client.close();
    // Offline, the stored profile is set as for any station (it is configured on the device).
    await eventually(
      async () => (await security.api('GET', '/api/stations/V2SEC-RAISE')).body.connected === false,
    );
    const stored = await security.api('PATCH', '/api/stations/V2SEC-RAISE', { securityProfile: 3 });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body.securityProfile).toBe(3);
  });
});
