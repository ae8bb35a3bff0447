import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../support/builders.js';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';
import { bootChargePoint, type TestChargePoint } from '../support/ocpp-client.js';

interface SendLocalList {
  listVersion: number;
  updateType: string;
  localAuthorizationList?: {
    idTag: string;
    idTagInfo?: { status: string; expiryDate?: string; parentIdTag?: string };
  }[];
}

describe.each(DIALECTS)('SendLocalList from the id tag table on %s', (dialect) => {
  let charger: TestChargePoint;
  const clock = new ManualClock();
  /** What the charge point received, and what it answers next. */
  const received: SendLocalList[] = [];
  let answer = 'Accepted';

  const app = useTestApp(dialect, { clock, env: { OCPP_UNKNOWN_STATIONS: 'accept' } });
  beforeAll(async () => {
    ({ client: charger } = await bootChargePoint(app.url, 'LL-1'));
    charger.handle('SendLocalList', async ({ params }) => {
      received.push(params as SendLocalList);
      return { status: answer };
    });
  });
  afterAll(async () => {
    await charger?.close();
  });

  const send = (updateType: unknown, chargePointId = 'LL-1', token = app.admin) =>
    app.request('POST', `/api/stations/${chargePointId}/local-list`, { token, body: { updateType } });
  const tag = (body: Record<string, unknown>) =>
    app.request('POST', '/api/id-tags', { token: app.admin, body });
  const last = () => received.at(-1) as SendLocalList;
  /**
   * Sends a list of `updateType` and expects it Accepted as version `listVersion` with `counts`,
   * the station having got `localAuthorizationList` under that version.
   */
  const expectListSent = async (
    updateType: string,
    listVersion: number,
    counts: { updated: number; removed: number },
    localAuthorizationList: unknown[],
  ) => {
    const response = await send(updateType);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'Accepted',
      updateType,
      listVersion,
      localListVersion: listVersion,
      ...counts,
    });
    expect(last()).toEqual({ listVersion, updateType, localAuthorizationList });
  };

  it('sends every tag in a Full list, then only what changed in a Differential one', async () => {
    await tag({ idTag: 'LL-PARENT' });
    await tag({ idTag: 'LL-CHILD', parentIdTag: 'LL-PARENT', expiryDate: '2027-01-01T00:00:00Z' });
    await tag({ idTag: 'LL-BLOCKED', status: 'Blocked' });
    await tag({ idTag: 'LL-OLD', expiryDate: '2025-01-01T00:00:00Z' });
    clock.advance(1000);

    await expectListSent('Full', 1, { updated: 4, removed: 0 }, [
      { idTag: 'LL-BLOCKED', idTagInfo: { status: 'Blocked' } },
      {
        idTag: 'LL-CHILD',
        idTagInfo: { status: 'Accepted', expiryDate: '2027-01-01T00:00:00.000Z', parentIdTag: 'LL-PARENT' },
      },
      { idTag: 'LL-OLD', idTagInfo: { status: 'Expired', expiryDate: '2025-01-01T00:00:00.000Z' } },
      { idTag: 'LL-PARENT', idTagInfo: { status: 'Accepted' } },
    ]);
    expect((await app.request('GET', '/api/stations/LL-1', { token: app.admin })).body.localListVersion).toBe(
      1,
    );

    clock.advance(1000);
    await app.request('PATCH', '/api/id-tags/LL-BLOCKED', { token: app.admin, body: { status: 'Accepted' } });
    await tag({ idTag: 'LL-NEW' });
    await app.request('DELETE', '/api/id-tags/LL-OLD', { token: app.admin });
    // Deleted and made again: an update, not a removal.
    await app.request('DELETE', '/api/id-tags/LL-CHILD', { token: app.admin });
    await tag({ idTag: 'LL-CHILD', status: 'Blocked' });
    clock.advance(1000);

    await expectListSent('Differential', 2, { updated: 3, removed: 1 }, [
      { idTag: 'LL-BLOCKED', idTagInfo: { status: 'Accepted' } },
      { idTag: 'LL-CHILD', idTagInfo: { status: 'Blocked' } },
      { idTag: 'LL-NEW', idTagInfo: { status: 'Accepted' } },
      { idTag: 'LL-OLD' },
    ]);

    clock.advance(1000);
    const nothing = await send('Differential');
    expect(nothing.body).toMatchObject({ status: 'Accepted', listVersion: 3, updated: 0, removed: 0 });
    expect(last().localAuthorizationList).toEqual([]);

    const commands = await app.request('GET', '/api/stations/LL-1/commands', { token: app.admin });
    expect(commands.body.items.filter((c: { action: string }) => c.action === 'SendLocalList')).toHaveLength(
      3,
    );
  });

  it('keeps the version and the changes when the charge point does not accept the list', async () => {
    clock.advance(1000);
    await tag({ idTag: 'LL-LATER' });
    clock.advance(1000);
    const before = (await app.request('GET', '/api/stations/LL-1', { token: app.admin })).body
      .localListVersion;
    answer = 'Failed';
    const failed = await send('Differential');
    expect(failed.body).toMatchObject({
      status: 'Failed',
      listVersion: before + 1,
      localListVersion: before,
    });
    expect((await app.request('GET', '/api/stations/LL-1', { token: app.admin })).body.localListVersion).toBe(
      before,
    );
    answer = 'Accepted';
    const again = await send('Differential');
    expect(again.body).toMatchObject({
      status: 'Accepted',
      listVersion: before + 1,
      localListVersion: before + 1,
    });
    expect(last().localAuthorizationList).toEqual([{ idTag: 'LL-LATER', idTagInfo: { status: 'Accepted' } }]);
  });

  it('sends every tag in a first Differential list', async () => {
    const { client } = await bootChargePoint(app.url, 'LL-2');
    const got: SendLocalList[] = [];
    client.handle('SendLocalList', async ({ params }) => {
      got.push(params as SendLocalList);
      return { status: 'Accepted' };
    });
    try {
      const response = await send('Differential', 'LL-2');
      expect(response.body).toMatchObject({ status: 'Accepted', listVersion: 1, removed: 0 });
      expect(got[0]?.localAuthorizationList?.map((entry) => entry.idTag)).toContain('LL-PARENT');
      expect(got[0]?.localAuthorizationList?.every((entry) => entry.idTagInfo !== undefined)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses a bad update type with 400 and sends nothing', async () => {
    const count = received.length;
    for (const body of [{ updateType: 'Partial' }, {}, { updateType: 'Full', listVersion: 9 }]) {
      const response = await app.request('POST', '/api/stations/LL-1/local-list', { token: app.admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.details.fields.join()).toMatch(/updateType|listVersion/);
    }
    expect(received).toHaveLength(count);
  });

  it('answers 401, 403, 404 (unknown or outside the scope) and 409 for an offline station', async () => {
    expect((await send('Full', 'LL-1', '')).status).toBe(401);
    const viewer = await userToken(app, app.admin, { username: 'll-viewer', roles: ['viewer'] });
    expect((await send('Full', 'LL-1', viewer)).status).toBe(403);
    const scoped = await userToken(app, app.admin, {
      username: 'll-op',
      roles: ['operator'],
      allowedStations: ['LL-2'],
    });
    expect((await send('Full', 'LL-1', scoped)).status).toBe(404);
    expect((await send('Full', 'LL-NOPE')).status).toBe(404);
    const offline = await send('Full', 'LL-2');
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('STATION_OFFLINE');
  });
});
