import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import { storedCommandsAndMessages } from '../support/database-handle.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import {
  bootChargePoint,
  connectChargePoint,
  eventually,
  ocppUrl,
  upgradeStatus,
  type TestChargePoint,
} from '../support/ocpp-client.js';

const KEY = 'fresh-authorization-key-9';
const STORED_KEY = 'stored-key-on-the-charger-7';

describe.each(DIALECTS)('the AuthorizationKey is write-only on %s', (dialect) => {
  let viewer: string;
  let cp: TestChargePoint;
  const logLines: string[] = [];

  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, logLines });
  beforeAll(async () => {
    viewer = await userToken(app, app.admin, { username: 'vic', roles: ['viewer'] });
    ({ client: cp } = await bootChargePoint(app.url, 'SEC-1'));
    cp.handle(async ({ method }) =>
      method === 'ChangeConfiguration'
        ? { status: 'Accepted' }
        : {
            configurationKey: [
              { key: 'AuthorizationKey', readonly: false, value: STORED_KEY },
              { key: 'HeartbeatInterval', readonly: false, value: '300' },
            ],
            unknownKey: [],
          },
    );
  });
  afterAll(async () => {
    await cp?.close({ force: true });
  });

  it('redacts it in the REST answer, the command audit and the message log, and still uses it as the password', async () => {
    const change = await app.request('POST', '/api/stations/SEC-1/commands/ChangeConfiguration', {
      token: app.admin,
      body: { key: 'AuthorizationKey', value: KEY },
    });
    expect(change.status).toBe(200);
    const read = await app.request('POST', '/api/stations/SEC-1/commands/GetConfiguration', {
      token: app.admin,
      body: {},
    });
    expect(read.status).toBe(200);
    expect(read.body.configurationKey).toEqual([
      { key: 'AuthorizationKey', readonly: false, value: '[redacted]' },
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
    ]);

    const audit = await app.request('GET', '/api/stations/SEC-1/commands', { token: viewer });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[1].request).toEqual({ key: 'AuthorizationKey', value: '[redacted]' });
    expect(audit.text).not.toContain(KEY);
    expect(audit.text).not.toContain(STORED_KEY);

    let messages = await app.request('GET', '/api/stations/SEC-1/messages?limit=100', { token: viewer });
    await eventually(async () => {
      messages = await app.request('GET', '/api/stations/SEC-1/messages?limit=100', { token: viewer });
      return messages.body.items.some((entry: { action: string }) => entry.action === 'GetConfiguration');
    });
    const change16 = messages.body.items.find(
      (entry: { action: string; direction: string }) =>
        entry.action === 'ChangeConfiguration' && entry.direction === 'out',
    );
    expect(change16.payload).toEqual({ key: 'AuthorizationKey', value: '[redacted]' });
    expect(messages.text).not.toContain(KEY);
    expect(messages.text).not.toContain(STORED_KEY);

    // Kept out of the database itself, not only out of the answers.
    const stored = await storedCommandsAndMessages(app.database);
    expect(stored).toContain('[redacted]');
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain(STORED_KEY);
    expect(logLines.join('\n')).not.toContain(KEY);
    expect(logLines.join('\n')).not.toContain(STORED_KEY);

    // The accepted key is the station's password from now on (CONTRACT section 3).
    await cp.close({ force: true });
    cp = await connectChargePoint(app.url, 'SEC-1', { password: KEY });
    expect(await cp.call('Heartbeat', {})).toHaveProperty('currentTime');
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`SEC-1:${password}`).toString('base64')}`,
    });
    expect(await upgradeStatus(`${ocppUrl(app.url)}/SEC-1`, { headers: basic(`${KEY}-wrong`) })).toBe(401);
  });
  it('hides the password of an upload or download URL (GetDiagnostics, UpdateFirmware) from the audit and the log', async () => {
    const URL_PASSWORD = 'ftp-upload-secret-4';
    const { client } = await bootChargePoint(app.url, 'SEC-URL');
    client.handle(async ({ method }) => (method === 'GetDiagnostics' ? { fileName: 'diag.zip' } : {}));
    try {
      const diagnostics = await app.request('POST', '/api/stations/SEC-URL/commands/GetDiagnostics', {
        token: app.admin,
        body: { location: `ftp://diag:${URL_PASSWORD}@files.example.com/uploads/` },
      });
      expect(diagnostics.status).toBe(200);
      const firmware = await app.request('POST', '/api/stations/SEC-URL/commands/UpdateFirmware', {
        token: app.admin,
        body: {
          location: `https://fw:${URL_PASSWORD}@files.example.com/fw.bin`,
          retrieveDate: '2026-01-11T14:30:00.000Z',
        },
      });
      expect(firmware.status).toBe(200);

      const audit = await app.request('GET', '/api/stations/SEC-URL/commands', { token: viewer });
      expect(audit.status).toBe(200);
      expect(audit.text).not.toContain(URL_PASSWORD);
      expect(
        audit.body.items.map((item: { request: { location: string } }) => item.request.location),
      ).toEqual([
        'https://fw:[redacted]@files.example.com/fw.bin',
        'ftp://diag:[redacted]@files.example.com/uploads/',
      ]);
      let messages = await app.request('GET', '/api/stations/SEC-URL/messages?limit=100', { token: viewer });
      await eventually(async () => {
        messages = await app.request('GET', '/api/stations/SEC-URL/messages?limit=100', { token: viewer });
        return messages.body.items.some((entry: { action: string }) => entry.action === 'UpdateFirmware');
      });
      expect(messages.text).not.toContain(URL_PASSWORD);
      const stored = await storedCommandsAndMessages(app.database);
      expect(stored).not.toContain(URL_PASSWORD);
      expect(logLines.join('\n')).not.toContain(URL_PASSWORD);
    } finally {
      await client.close({ force: true });
    }
  });
});
