import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { eventually, upgradeStatus } from '../support/ocpp-client.js';
import { ROOT_INSTALLED, SecurityApp, waitFor, type Answers } from '../support/security-app.js';

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

describe.each(DIALECTS)('the OCPP CA and certificate security on %s', (dialect) => {
  const security = new SecurityApp();
  beforeAll(() => security.start(dialect));
  afterAll(() => security.close());
  const api = (method: string, path: string, body?: unknown) => security.api(method, path, body);

  it('signs a renewal CSR and the station reconnects with its certificate at profile 3 (TC_074_CSMS Update Charge Point Certificate by request of Central System, TC_083_CSMS Upgrade Charge Point Security Profile - Accepted, TC_087_CSMS TLS - Client-side certificate - valid certificate)', async () => {
    const password = await security.station('SEC-1', 2);
    const answers: Answers = {};
    const station = await security.connect('SEC-1', { password }, answers);
    const { csr, key } = security.pki.csr('sec-1', '/CN=SEC-1/O=Acme', { type: 'rsa:2048' });

    // TC_074_CSMS: ExtendedTriggerMessage SignChargePointCertificate → SignCertificate → CertificateSigned.
    answers.ExtendedTriggerMessage = (params) => {
      expect(params).toEqual({ requestedMessage: 'SignChargePointCertificate' });
      setImmediate(
        () =>
          void station
            .call('SignCertificate', { csr })
            .then((answer) => expect(answer).toEqual({ status: 'Accepted' })),
      );
      return { status: 'Accepted' };
    };
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Accepted' });
    const trigger = await api('POST', '/api/stations/SEC-1/commands/ExtendedTriggerMessage', {
      requestedMessage: 'SignChargePointCertificate',
    });
    expect(trigger.body).toEqual({ status: 'Accepted' });
    const { certificateChain } = (await signed) as { certificateChain: string };

    // The chain: the station's certificate first, then the CA's; a TLS client certificate.
    const [own, ca] = (certificateChain.match(PEM) ?? []).map((pem) => new X509Certificate(pem));
    expect(own?.subject).toBe('CN=SEC-1\nO=Acme');
    expect(own?.checkIssued(ca as X509Certificate)).toBe(true);
    expect(own?.verify(new X509Certificate(security.stationCa.cert).publicKey)).toBe(true);
    expect(own?.ca).toBe(false);
    expect(own?.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(ca?.fingerprint256).toBe(new X509Certificate(security.stationCa.cert).fingerprint256);
    const days = (Date.parse(own?.validTo ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);

    const listed = await security.certificates('SEC-1');
    expect(listed.body).toEqual({
      items: [
        {
          serialNumber: own?.serialNumber,
          subject: 'CN=SEC-1, O=Acme',
          notBefore: new Date(own?.validFrom ?? '').toISOString(),
          notAfter: new Date(own?.validTo ?? '').toISOString(),
          fingerprint: own?.fingerprint256,
          issuedAt: expect.any(String),
          revokedAt: null,
          certificate: own?.toString(),
        },
      ],
      total: 1,
    });

    // TC_083_CSMS: ChangeConfiguration SecurityProfile = 3, stored once Accepted, then Reset Hard.
    answers.GetInstalledCertificateIds = () => ROOT_INSTALLED;
    const change = waitFor(answers, 'ChangeConfiguration', { status: 'Accepted' });
    const reset = waitFor(answers, 'Reset', { status: 'Accepted' });
    const raised = await api('PATCH', '/api/stations/SEC-1', { securityProfile: 3 });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body.securityProfile).toBe(3);
    expect(await change).toEqual({ key: 'SecurityProfile', value: '3' });
    expect(await reset).toEqual({ type: 'Hard' });
    await station.close();

    // TC_087_CSMS: the password no longer opens the station; its new certificate does.
    expect(await upgradeStatus(security.wss('SEC-1'), { tls: { ca: security.serverCa.cert } })).toBe(401);
    const reconnected = await security.connect('SEC-1', { cert: { cert: certificateChain, key } });
    expect(await reconnected.call('Heartbeat', {})).toMatchObject({ currentTime: expect.any(String) });
    await reconnected.close();
  });

  it('answers Rejected to CSRs of another station, with weak keys or malformed, and records each', async () => {
    const password = await security.station('SEC-BAD', 2);
    const answers: Answers = {};
    const station = await security.connect('SEC-BAD', { password }, answers);
    const other = security.pki.csr('bad-other', '/CN=SEC-1');
    const weak = security.pki.csr('bad-weak', '/CN=SEC-BAD', { type: 'rsa:1024' });
    const secp256k1 = security.pki.csr('bad-curve', '/CN=SEC-BAD', { type: 'ec', curve: 'secp256k1' });
    const twoNames = security.pki.csr('bad-two', '/CN=SEC-BAD/CN=SEC-1');
    const good = security.pki.csr('good', '/CN=SEC-BAD');
    const body = good.csr.split('\n').slice(1, -2).join('');
    const tampered = good.csr.replace(
      body.slice(40, 48),
      body.slice(40, 48) === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA',
    );
    const cases = [
      other.csr,
      weak.csr,
      secp256k1.csr,
      twoNames.csr,
      'not a certificate request',
      '-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE REQUEST-----\n',
      Buffer.from('DER garbage \x30\x82\x01').toString('base64'),
      tampered,
      security.stationCa.cert,
    ];
    for (const csr of cases) {
      expect(await station.call('SignCertificate', { csr })).toEqual({ status: 'Rejected' });
    }
    // The connection stays usable, and nothing was signed.
    expect(await station.call('Heartbeat', {})).toMatchObject({ currentTime: expect.any(String) });
    expect((await security.certificates('SEC-BAD')).body).toEqual({ items: [], total: 0 });
    const events = (await security.events('SEC-BAD')).body;
    expect(events.total).toBe(cases.length);
    const infos = events.items.map((event: { type: string; techInfo: string }) => {
      expect(event.type).toBe('InvalidCertificateSigningRequest');
      return event.techInfo;
    });
    expect(infos).toEqual(
      expect.arrayContaining([
        'CSR names SEC-1, not SEC-BAD',
        'weak key: RSA key of 1024 bits (at least 2048)',
        'weak key: EC key on secp256k1 (P-256 or P-384)',
        'CSR names SEC-BAD, SEC-1, not SEC-BAD',
      ]),
    );
    expect(
      infos.filter((info: string) => /^(unreadable|unsupported) CSR|does not verify/.test(info)),
    ).toHaveLength(5);
    // A good one afterwards is signed.
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Accepted' });
    expect(await station.call('SignCertificate', { csr: good.csr })).toEqual({ status: 'Accepted' });
    expect((await signed).certificateChain).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // Good CSRs in a loop: three certificates a minute, then Rejected (each one is a stored row).
    answers.CertificateSigned = () => ({ status: 'Accepted' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await station.call('SignCertificate', { csr: good.csr }));
    expect(statuses).toEqual([{ status: 'Accepted' }, { status: 'Accepted' }, { status: 'Rejected' }]);
    expect((await security.certificates('SEC-BAD')).body.total).toBe(3);
    expect((await security.events('SEC-BAD')).body.items[0].techInfo).toMatch(
      /too many certificate signing requests/,
    );
    await station.close();
  });

  it('refuses revoked, expired, self-signed and other stations’ certificates at the upgrade', async () => {
    await security.station('SEC-R', 3);
    const answers: Answers = {};
    // Profile 3 from a certificate of the station CA made by openssl, then one of the OCPP CA.
    const bootstrap = security.pki.issue('sec-r-boot', 'SEC-R', { issuer: security.stationCa });
    const station = await security.connect('SEC-R', { cert: bootstrap }, answers);
    const { csr, key } = security.pki.csr('sec-r', '/CN=SEC-R');
    const signed = waitFor(answers, 'CertificateSigned', { status: 'Accepted' });
    expect(await station.call('SignCertificate', { csr })).toEqual({ status: 'Accepted' });
    const chain = (await signed).certificateChain as string;
    await station.close();
    const issued = { cert: chain, key };
    const tls = (cert: { cert: string; key: string }) => ({ tls: { ca: security.serverCa.cert, ...cert } });
    expect(await upgradeStatus(security.wss('SEC-R'), tls(issued))).toBe(101);

    const serial = new X509Certificate(chain).serialNumber;
    const viewer = await api('POST', '/api/users', {
      username: 'sec-viewer',
      password: 'sec-viewer-password-1',
      roles: ['viewer'],
    });
    expect(viewer.status).toBe(201);
    const { httpsLogin } = await import('../support/tls-client.js');
    const viewerToken = await httpsLogin(
      security.app.url,
      security.serverCa.cert,
      'sec-viewer',
      'sec-viewer-password-1',
    );
    const revokePath = `/api/stations/SEC-R/certificates/${serial}/revoke`;
    expect((await security.api('POST', revokePath, undefined, viewerToken)).status).toBe(403);
    expect(
      (await security.api('GET', '/api/stations/SEC-R/certificates', undefined, viewerToken)).status,
    ).toBe(200);
    expect((await api('POST', '/api/stations/SEC-R/certificates/ABCDEF/revoke')).status).toBe(404);
    expect((await api('POST', '/api/stations/SEC-R/certificates/not-hex/revoke')).status).toBe(400);
    expect((await api('POST', `/api/stations/SEC-1/certificates/${serial}/revoke`)).status).toBe(404);
    // The serial number is hex in either case.
    const revoked = await api('POST', revokePath.replace(serial, serial.toLowerCase()));
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ serialNumber: serial, revokedAt: expect.any(String) });
    // Revoked again: the time of the first revocation is kept.
    expect((await api('POST', revokePath)).body).toMatchObject({ revokedAt: revoked.body.revokedAt });

    const other = security.pki.issue('sec-r-other', 'SEC-1', { issuer: security.stationCa });
    const selfSigned = security.pki.issue('sec-r-self', 'SEC-R');
    const expired = security.pki.expired('sec-r-expired', 'SEC-R', security.stationCa);
    for (const cert of [issued, other, selfSigned, expired]) {
      expect(await upgradeStatus(security.wss('SEC-R'), tls(cert))).toBe(401);
    }
    // The revoked certificate is refused at a lower profile too; another current one still works.
    expect(await upgradeStatus(security.wss('SEC-R'), tls(bootstrap))).toBe(101);
    const techInfos = (await security.events('SEC-R')).body.items.map(
      (event: { techInfo: string }) => event.techInfo,
    );
    expect(techInfos.slice(0, 4)).toEqual([
      expect.stringMatching(/not accepted: CERT_HAS_EXPIRED/),
      expect.stringMatching(/not accepted/),
      'certificate of SEC-1, not SEC-R',
      `certificate revoked (SHA-256 ${new X509Certificate(chain).fingerprint256})`,
    ]);
    expect((await security.certificates('SEC-R')).body.items[0].revokedAt).toBe(revoked.body.revokedAt);
  });

  it('raises a connected station’s profile only with what it needs and once it accepts', async () => {
    const password = await security.station('SEC-P', 1);
    const answers: Answers = {};
    const station = await security.connect('SEC-P', { password }, answers);
    answers.GetInstalledCertificateIds = () => ROOT_INSTALLED;
    // Profile 3 needs a certificate of the OCPP CA first; a new password cannot go with a raise.
    const noCertificate = await api('PATCH', '/api/stations/SEC-P', {
      securityProfile: 3,
      ocppPassword: null,
    });
    expect(noCertificate.status).toBe(409);
    expect(noCertificate.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/no current certificate/),
    });
    const newPassword = await api('PATCH', '/api/stations/SEC-P', {
      securityProfile: 2,
      ocppPassword: 'another-password-2',
    });
    expect(newPassword.status).toBe(409);
    // The station refuses: nothing is stored.
    answers.ChangeConfiguration = () => ({ status: 'Rejected' });
    const refused = await api('PATCH', '/api/stations/SEC-P', { securityProfile: 2, name: 'renamed' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'PROFILE_CHANGE_REFUSED',
      details: { status: 'Rejected' },
    });
    expect((await api('GET', '/api/stations/SEC-P')).body).toMatchObject({
      securityProfile: 1,
      name: 'SEC-P',
    });
    // A station that does not support the key says so: its status is passed on.
    answers.ChangeConfiguration = () => ({ status: 'NotSupported' });
    expect((await api('PATCH', '/api/stations/SEC-P', { securityProfile: 2 })).body.error.details).toEqual({
      status: 'NotSupported',
    });
    // Lowering, and any change of a station that is not connected, needs no consent.
    await station.close();
    await eventually(async () => !(await api('GET', '/api/stations/SEC-P')).body.connected);
    expect((await api('PATCH', '/api/stations/SEC-P', { securityProfile: 2 })).body.securityProfile).toBe(2);
  });
});
