import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdTags, createStation, startTransaction } from '../support/builders.js';
import { profileBody } from '../support/charging-profiles.js';
import { DIALECTS } from '../support/databases.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';
import { useTestApp } from '../support/use-test-app.js';

interface AuditedCommand {
  action: string;
  request: { csChargingProfiles?: { chargingProfilePurpose?: string } };
  outcome: string;
  userId: number | null;
}

describe.each(DIALECTS)('smart charging goes through the command path, audited, on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { LOAD_MANAGEMENT_INTERVAL_MS: '200' } });
  let cp: TestChargePoint;
  let siteId: number;

  beforeAll(async () => {
    siteId = (await app.request('POST', '/api/sites', { token: app.admin, body: { name: 'Audit' } })).body.id;
    await createStation(app, app.admin, {
      chargePointId: 'AUD-1',
      siteId,
      ocppPassword: null,
      maxPowerKw: 22,
    });
    await createIdTags(app, app.admin, 'AUD-TAG');
    ({ client: cp } = await bootChargePoint(app.url, 'AUD-1'));
    cp.handle(async ({ method }) => (method === 'SetChargingProfile' ? { status: 'Accepted' } : {}));
  });
  afterAll(async () => {
    await cp?.close({ force: true });
  });

  const trail = async (): Promise<AuditedCommand[]> =>
    (await app.request('GET', '/api/stations/AUD-1/commands?limit=100', { token: app.admin })).body.items;
  const profilesOf = (commands: AuditedCommand[], purpose: string) =>
    commands.filter(
      (c) =>
        c.action === 'SetChargingProfile' && c.request.csChargingProfiles?.chargingProfilePurpose === purpose,
    );

  it("records an operator's charging profile as sent by that operator", async () => {
    const installed = await app.request('POST', '/api/stations/AUD-1/charging-profiles', {
      token: app.admin,
      body: profileBody(1),
    });
    expect(installed.status).toBe(201);
    // The kept profiles sent again after the boot are the system's; the operator's is theirs.
    expect(profilesOf(await trail(), 'TxDefaultProfile')).toContainEqual(
      expect.objectContaining({ outcome: 'answered', userId: expect.any(Number) }),
    );
  });

  it("records the load manager's TxProfiles as sent by the system", async () => {
    await startTransaction(cp, { idTag: 'AUD-TAG', timestamp: new Date().toISOString() });
    await app.request('PATCH', `/api/sites/${siteId}`, { token: app.admin, body: { maxPowerKw: 7 } });
    let limits: AuditedCommand[] = [];
    await eventually(async () => {
      limits = profilesOf(await trail(), 'TxProfile');
      return limits.length > 0 && limits.every((limit) => limit.outcome !== 'sent');
    });
    for (const limit of limits) expect(limit).toMatchObject({ outcome: 'answered', userId: null });
  });
});
