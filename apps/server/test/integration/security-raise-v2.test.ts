import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargingStation } from '@cimorings/simulator';
import { DIALECTS } from '../support/databases.js';
import { eventually, ocppUrl, upgradeStatus, type TestChargePoint } from '../support/ocpp-client.js';
import { BOOT2, connectStation2 } from '../support/ocpp2-client.js';
import { variableToSet } from '../support/station2-answers.js';
import { SecurityApp } from '../support/security-app.js';
import { freePort } from '../support/test-app.js';

function basicAuth(id: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` };
}

/** A 2.0.1 station's answer to GetInstalledCertificateIds with one CSMSRootCertificate. */
const CSMS_ROOT_INSTALLED = {
  status: 'Accepted',
  certificateHashDataChain: [
    {
      certificateType: 'CSMSRootCertificate',
      certificateHashData: {
        hashAlgorithm: 'SHA256',
        issuerNameHash: 'a1'.repeat(32),
        issuerKeyHash: 'b2'.repeat(32),
        serialNumber: '1',
      },
    },
  ],
};

/**
 * OCPP 2.0.1 A05 with B09 (upgrade the security profile of a connected station): SetNetworkProfile
 * into a free slot, NetworkConfigurationPriority with that slot first, Reset; over real TLS
 * sockets, with the 2.x simulator following it to the end.
 */
describe.each(DIALECTS)('raising the security profile of a 2.x station on %s', (dialect) => {
  const security = new SecurityApp();
  let publicUrl = '';
  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `wss://127.0.0.1:${port}/ocpp`;
    await security.start(dialect, { OCPP_PUBLIC_URL: publicUrl }, { port });
  }, 60_000);
  afterAll(() => security.close());

  const station = async (id: string) => (await security.api('GET', `/api/stations/${id}`)).body;
  const command = async (id: string, action: string, body: unknown) => {
    const response = await security.api('POST', `/api/stations/${id}/commands/${action}`, body);
    expect(response.status, `${action}: ${response.text}`).toBe(200);
    return response.body;
  };

  /** A simulated station over wss:// with its password, at the stored `profile`. */
  async function simulated(id: string, profile: 1 | 2, protocol: '2.0.1' | '2.1' = '2.0.1') {
    const password = await security.station(id, profile);
    const cs = new SimulatedChargingStation({
      id,
      protocol,
      url: ocppUrl(security.app.url),
      password,
      tls: { ca: security.serverCa.cert },
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 0 },
    });
    const commands: { action: string; request: unknown }[] = [];
    cs.on('command', ({ action, request }) => void commands.push({ action, request }));
    await cs.start();
    await cs.waitFor('accepted');
    return { cs, password, commands };
  }

  it('raises a 2.0.1 station from 1 to 2 and from 2 to 3, each once it took the new profile (A05, B09)', async () => {
    const { cs, password, commands } = await simulated('V2UP', 1);
    try {
      // Without a CSMS root certificate the station could not check ours: refused, nothing sent.
      const noRoot = await security.api('PATCH', '/api/stations/V2UP', { securityProfile: 2 });
      expect(noRoot.status).toBe(409);
      expect(noRoot.body.error).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/no CSMS root certificate installed.*InstallCertificate/),
      });
      expect(commands.map((c) => c.action)).toEqual(['GetBaseReport', 'GetInstalledCertificateIds']);
      expect((await security.events('V2UP')).body.items[0]).toMatchObject({
        type: 'SecurityProfileRaiseRefused',
        source: 'server',
      });
      const root = { certificateType: 'CSMSRootCertificate', certificate: security.serverCa.cert };
      expect(await command('V2UP', 'InstallCertificate', root)).toEqual({ status: 'Accepted' });

      // 1 → 2: the new profile in slot 1, put first, then the Reset; stored once accepted.
      commands.length = 0;
      const reconnected = cs.waitFor('accepted', () => true, 15_000);
      const raised = await security.api('PATCH', '/api/stations/V2UP', { securityProfile: 2 });
      expect(raised.status, raised.text).toBe(200);
      expect(raised.body.securityProfile).toBe(2);
      await reconnected;
      const sent = commands.map((c) => c.action);
      expect(sent.slice(0, 5)).toEqual([
        'GetInstalledCertificateIds',
        'GetVariables',
        'SetNetworkProfile',
        'SetVariables',
        'Reset',
      ]);
      expect(commands[2]?.request).toEqual({
        configurationSlot: 1,
        connectionData: {
          ocppVersion: 'OCPP20',
          ocppTransport: 'JSON',
          ocppCsmsUrl: publicUrl,
          messageTimeout: 30,
          securityProfile: 2,
          ocppInterface: 'Wired0',
        },
      });
      expect(commands[3]?.request).toMatchObject({
        setVariableData: [variableToSet('OCPPCommCtrlr', 'NetworkConfigurationPriority', '1,0')],
      });
      expect(commands[4]?.request).toEqual({ type: 'Immediate' });
      expect(cs.securityProfile).toBe(2);
      expect(await station('V2UP')).toMatchObject({ securityProfile: 2, connected: true });
      // The commands are in the audit trail, with who sent them.
      const audit = (await security.api('GET', '/api/stations/V2UP/commands')).body;
      expect(audit.items.map((item: { action: string }) => item.action)).toEqual(
        expect.arrayContaining(['SetNetworkProfile', 'SetVariables', 'Reset']),
      );
      expect(audit.items[0]).toMatchObject({ username: 'admin' });

      // 2 → 3 needs a certificate of our CA first.
      const noCertificate = await security.api('PATCH', '/api/stations/V2UP', { securityProfile: 3 });
      expect(noCertificate.status).toBe(409);
      expect(noCertificate.body.error.message).toMatch(/no current certificate of the OCPP CA/);
      expect(
        await command('V2UP', 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' }),
      ).toEqual({ status: 'Accepted' });
      await eventually(() => cs.clientCertificate !== undefined);
      expect((await security.certificates('V2UP')).body.total).toBe(1);

      // 2 → 3: slot 2 first; the station comes back with its certificate and no password.
      commands.length = 0;
      const again = cs.waitFor('accepted', () => true, 15_000);
      const third = await security.api('PATCH', '/api/stations/V2UP', { securityProfile: 3 });
      expect(third.status, third.text).toBe(200);
      await again;
      expect(commands.find((c) => c.action === 'SetNetworkProfile')?.request).toMatchObject({
        configurationSlot: 2,
        connectionData: { securityProfile: 3, ocppCsmsUrl: publicUrl },
      });
      expect(commands.find((c) => c.action === 'SetVariables')?.request).toMatchObject({
        setVariableData: [{ attributeValue: '2,1,0' }],
      });
      expect(cs.securityProfile).toBe(3);
      expect(await station('V2UP')).toMatchObject({ securityProfile: 3, connected: true });
      // Its password alone no longer opens it.
      const wss = `${ocppUrl(security.app.url)}/V2UP`;
      expect(
        await upgradeStatus(wss, {
          headers: basicAuth('V2UP', password),
          tls: { ca: security.serverCa.cert },
        }),
      ).toBe(401);
    } finally {
      await cs.stop({ stopSessions: false });
    }
  }, 60_000);

  it('raises a 2.1 station from 1 to 2 the same way', async () => {
    const { cs, commands } = await simulated('V21UP', 1, '2.1');
    try {
      const root = { certificateType: 'CSMSRootCertificate', certificate: security.serverCa.cert };
      expect(await command('V21UP', 'InstallCertificate', root)).toEqual({ status: 'Accepted' });
      const reconnected = cs.waitFor('accepted', () => true, 15_000);
      const raised = await security.api('PATCH', '/api/stations/V21UP', { securityProfile: 2 });
      expect(raised.status, raised.text).toBe(200);
      await reconnected;
      expect(commands.map((c) => c.action)).toContain('SetNetworkProfile');
      expect(cs.securityProfile).toBe(2);
      expect((await station('V21UP')).securityProfile).toBe(2);
    } finally {
      await cs.stop({ stopSessions: false });
    }
  }, 60_000);

  /** A bare booted 2.0.1 station at profile 2 whose answers the test sets; `calls` records what it got. */
  async function bare(id: string, answers: Record<string, (params: unknown) => unknown>, profile: 1 | 2 = 2) {
    const password = await security.station(id, profile);
    const calls: { action: string; params: unknown }[] = [];
    const handlers = Object.fromEntries(
      ['GetInstalledCertificateIds', 'GetVariables', 'SetNetworkProfile', 'SetVariables', 'Reset'].map(
        (action) => [
          action,
          (params: unknown) => {
            calls.push({ action, params });
            const answer = answers[action];
            if (!answer) throw new Error(`unexpected ${action}`);
            return answer(params);
          },
        ],
      ),
    );
    const client: TestChargePoint = await connectStation2(security.app.url, id, {
      password,
      tls: { ca: security.serverCa.cert },
      handlers,
    });
    expect(await client.call('BootNotification', BOOT2)).toMatchObject({ status: 'Accepted' });
    return { client, calls };
  }

  it('keeps the profile when the station refuses SetNetworkProfile or the new priority, and says which', async () => {
    const priority = (status: string) => () => ({
      setVariableResult: [
        {
          attributeStatus: status,
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
        },
      ],
    });
    const answers: Record<string, (params: unknown) => unknown> = {
      GetInstalledCertificateIds: () => CSMS_ROOT_INSTALLED,
      GetVariables: () => ({
        getVariableResult: [
          {
            attributeStatus: 'Accepted',
            attributeValue: '0,3',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'NetworkConfigurationPriority' },
          },
        ],
      }),
      SetNetworkProfile: () => ({ status: 'Rejected' }),
    };
    const { client, calls } = await bare('V2REFUSE', answers);
    // Profile 3 is refused before anything is sent: no certificate of our CA.
    expect((await security.api('PATCH', '/api/stations/V2REFUSE', { securityProfile: 3 })).status).toBe(409);
    expect(calls).toEqual([]);

    // Raising 2 → 3 needs a certificate; 2 is the stored profile, so refusals are tried at 3 with one.
    const { csr, key } = security.pki.csr('v2refuse', '/CN=V2REFUSE');
    const signed = new Promise<string>((resolve) => {
      client.handle('CertificateSigned', async ({ params }) => {
        resolve(String(params?.certificateChain));
        return { status: 'Accepted' };
      });
    });
    expect(
      await client.call('SignCertificate', { csr, certificateType: 'ChargingStationCertificate' }),
    ).toEqual({ status: 'Accepted' });
    const chain = await signed;

    const refused = await security.api('PATCH', '/api/stations/V2REFUSE', { securityProfile: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'PROFILE_CHANGE_REFUSED',
      message: expect.stringMatching(/Rejected to SetNetworkProfile \(slot 4\)/),
      details: { status: 'Rejected' },
    });
    expect(calls.map((c) => c.action)).toEqual([
      'GetInstalledCertificateIds',
      'GetVariables',
      'SetNetworkProfile',
    ]);
    expect((await station('V2REFUSE')).securityProfile).toBe(2);

    // The profile is taken, but not the new order: refused too, and no Reset.
    calls.length = 0;
    answers.SetNetworkProfile = () => ({ status: 'Accepted' });
    answers.SetVariables = priority('Rejected');
    const notFirst = await security.api('PATCH', '/api/stations/V2REFUSE', { securityProfile: 3 });
    expect(notFirst.status).toBe(409);
    expect(notFirst.body.error.message).toMatch(
      /Rejected to SetVariables OCPPCommCtrlr\.NetworkConfigurationPriority/,
    );
    expect(calls.map((c) => c.action)).not.toContain('Reset');
    expect((await station('V2REFUSE')).securityProfile).toBe(2);
    const events = (await security.events('V2REFUSE')).body.items as { type: string; techInfo: string }[];
    expect(events.filter((event) => event.type === 'SecurityProfileRaiseRefused')).toHaveLength(2);

    // A refused raise leaves nothing pending: the certificate alone does not open profile 2.
    await client.close();
    await eventually(async () => (await station('V2REFUSE')).connected === false);
    const wss = `${ocppUrl(security.app.url)}/V2REFUSE`;
    const tls = { ca: security.serverCa.cert, cert: chain, key };
    expect(await upgradeStatus(wss, { protocols: ['ocpp2.0.1'], tls })).toBe(401);

    // Offline, the stored profile is set as for any station (it is configured on the device).
    const offline = await security.api('PATCH', '/api/stations/V2REFUSE', { securityProfile: 3 });
    expect(offline.status, offline.text).toBe(200);
    expect(offline.body.securityProfile).toBe(3);
  }, 60_000);

  it('sends no network profile when the station reports a priority list it cannot keep behind the new slot', async () => {
    let reported = '';
    const { calls } = await bare(
      'V2ODDPRIO',
      {
        GetInstalledCertificateIds: () => CSMS_ROOT_INSTALLED,
        GetVariables: () => ({
          getVariableResult: [
            {
              attributeStatus: 'Accepted',
              attributeValue: reported,
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'NetworkConfigurationPriority' },
            },
          ],
        }),
      },
      1,
    );
    const tooMany = Array.from({ length: 400 }, (_, n) => n + 1).join(',');
    for (const value of ['a,b', '1,x', '2147483647', '1e9', '99999999999', tooMany]) {
      reported = value;
      const raised = await security.api('PATCH', '/api/stations/V2ODDPRIO', { securityProfile: 2 });
      expect(raised.status, value).toBe(409);
      expect(raised.body.error.code, value).toBe('PROFILE_CHANGE_REFUSED');
      expect(raised.body.error.message, value).toContain('NetworkConfigurationPriority');
    }
    expect(calls.map((c) => c.action)).not.toContain('SetNetworkProfile');
    expect((await station('V2ODDPRIO')).securityProfile).toBe(1);
  }, 60_000);

  it('answers the station going away mid-raise with STATION_OFFLINE, keeping the profile', async () => {
    const { client, calls } = await bare(
      'V2GONE',
      {
        GetInstalledCertificateIds: () => CSMS_ROOT_INSTALLED,
        GetVariables: () => {
          setImmediate(() => void client.close({ code: 1001, force: true }));
          return new Promise(() => undefined);
        },
      },
      1,
    );
    // From 1 to 2: no certificate of its own is needed, so the raise reaches the station.
    const raised = await security.api('PATCH', '/api/stations/V2GONE', { securityProfile: 2 });
    expect(raised.status).toBe(409);
    expect(raised.body.error.code).toBe('STATION_OFFLINE');
    expect(calls.map((c) => c.action)).not.toContain('SetNetworkProfile');
    expect((await station('V2GONE')).securityProfile).toBe(1);
  }, 60_000);
});

describe.each(DIALECTS)('raising a 2.x station without OCPP_PUBLIC_URL on %s', (dialect) => {
  const security = new SecurityApp();
  beforeAll(() => security.start(dialect), 60_000);
  afterAll(() => security.close());

  it('is refused with 409 naming OCPP_PUBLIC_URL, and nothing is sent', async () => {
    const password = await security.station('V2NOURL', 1);
    const calls: string[] = [];
    const client = await connectStation2(security.app.url, 'V2NOURL', {
      password,
      tls: { ca: security.serverCa.cert },
      handlers: Object.fromEntries(
        ['GetInstalledCertificateIds', 'SetNetworkProfile', 'Reset'].map((action) => [
          action,
          () => {
            calls.push(action);
            return { status: 'Accepted' };
          },
        ]),
      ),
    });
    expect(await client.call('BootNotification', BOOT2)).toMatchObject({ status: 'Accepted' });
    const raised = await security.api('PATCH', '/api/stations/V2NOURL', { securityProfile: 2 });
    expect(raised.status).toBe(409);
    expect(raised.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/OCPP_PUBLIC_URL is not set/),
    });
    expect(calls).toEqual([]);
    expect((await security.api('GET', '/api/stations/V2NOURL')).body.securityProfile).toBe(1);
    await client.close();
  });
});
