import { afterEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';
import {
  BOOT,
  bootChargePoint,
  connectChargePoint,
  ocppUrl,
  upgradeStatus,
  type TestChargePoint,
} from '../support/ocpp-client.js';

/**
 * Issue 10, item 4: a socket alone registers nothing; a valid BootNotification registers an
 * unknown charge point, within a bound on pending stations and a rate per source address.
 */
describe.each(DIALECTS)('unknown charge points under pending on %s', (dialect) => {
  const app = useTestApp(dialect, {
    env: { OCPP_BOOT_TIMEOUT: '1', OCPP_PENDING_STATIONS_MAX: '3', OCPP_NEW_STATIONS_PER_MINUTE: '100' },
  });
  const open: TestChargePoint[] = [];

  afterEach(async () => {
    await Promise.all(open.splice(0).map((client) => client.close({ force: true })));
  });

  const stationIds = async (): Promise<string[]> =>
    (await app.request('GET', '/api/stations?limit=100', { token: app.admin })).body.items.map(
      (s: { chargePointId: string }) => s.chargePointId,
    );
  const connect = async (id: string, options = {}) => {
    const client = await connectChargePoint(app.url, id, options);
    open.push(client);
    return client;
  };

  it('stores nothing for charge points that only open a socket, and closes them after the boot deadline', async () => {
    const silent = await Promise.all(
      ['SILENT-1', 'SILENT-2', 'SILENT-3', 'SILENT-4'].map((id) => connect(id)),
    );
    const closed = silent.map((client) => new Promise<{ code: number }>((r) => client.once('close', r)));
    expect(await stationIds()).toEqual([]);
    for (const event of await Promise.all(closed)) expect(event.code).toBe(1008);
    expect(await stationIds()).toEqual([]);
    expect(
      app.publishedEvents.filter((e) => 'chargePointId' in e && /^SILENT/.test(e.chargePointId)),
    ).toEqual([]);
  });

  it('registers one at its first valid BootNotification; an invalid one stores nothing', async () => {
    const client = await connect('NEWBIE-1', { strictMode: false });
    await expect(client.call('BootNotification', { chargePointVendor: 'Acme' })).rejects.toMatchObject({
      rpcErrorCode: 'OccurenceConstraintViolation',
    });
    await expect(client.call('Heartbeat', {})).resolves.toHaveProperty('currentTime');
    expect(await stationIds()).not.toContain('NEWBIE-1');
    expect(await client.call('BootNotification', BOOT)).toMatchObject({ status: 'Pending' });
    const stored = await app.request('GET', '/api/stations/NEWBIE-1', { token: app.admin });
    expect(stored.body).toMatchObject({ registration: 'pending', connected: true, vendor: 'Acme' });
    // Once registered it has no deadline: it is still connected past it.
    await new Promise((r) => setTimeout(r, 1300));
    expect((await app.request('GET', '/api/stations/NEWBIE-1', { token: app.admin })).body.connected).toBe(
      true,
    );
    await app.request('DELETE', '/api/stations/NEWBIE-1', { token: app.admin });
  });

  it('refuses new unknown charge points while OCPP_PENDING_STATIONS_MAX await approval, storing nothing', async () => {
    // Admitted while there is room, booting once the room is gone.
    const late = await connect('LATE-1');
    for (const id of ['FULL-1', 'FULL-2', 'FULL-3']) {
      const { client, boot } = await bootChargePoint(app.url, id);
      open.push(client);
      expect(boot.status).toBe('Pending');
    }
    const closed = new Promise<{ code: number }>((r) => late.once('close', r));
    expect(await late.call('BootNotification', BOOT)).toMatchObject({ status: 'Rejected' });
    expect((await closed).code).toBe(1008);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/LATE-2`)).toBe(429);
    expect(await stationIds()).toEqual(['FULL-1', 'FULL-2', 'FULL-3']);

    // Approving one frees a place; known stations are never refused by the bound.
    expect((await app.request('POST', '/api/stations/FULL-1/approve', { token: app.admin })).status).toBe(
      200,
    );
    expect(await upgradeStatus(`${ocppUrl(app.url)}/FULL-2`)).toBe(101);
    const { client, boot } = await bootChargePoint(app.url, 'LATE-2');
    open.push(client);
    expect(boot.status).toBe('Pending');
  });
});

describe.each(DIALECTS)('the rate of new unknown charge points per source on %s', (dialect) => {
  const app = useTestApp(dialect, {
    // A clock that does not move: the bucket refills only when the test says so.
    clock: new ManualClock(),
    env: { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_NEW_STATIONS_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' },
  });

  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('admits OCPP_NEW_STATIONS_PER_MINUTE from one address, then 429; other addresses and known stations still get in', async () => {
    // From the proxy's own address (no X-Forwarded-For): a bucket of its own.
    const { client, boot } = await bootChargePoint(app.url, 'KNOWN-1');
    expect(boot.status).toBe('Accepted');
    await client.close();
    for (const id of ['RANDOM-1', 'RANDOM-2', 'RANDOM-3']) {
      expect(await upgradeStatus(`${ocppUrl(app.url)}/${id}`, from('203.0.113.7'))).toBe(101);
    }
    expect(await upgradeStatus(`${ocppUrl(app.url)}/RANDOM-4`, from('203.0.113.7'))).toBe(429);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/RANDOM-5`, from('203.0.113.7'))).toBe(429);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/RANDOM-6`, from('198.51.100.9'))).toBe(101);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/KNOWN-1`, from('203.0.113.7'))).toBe(101);
    // An IPv6 client counts as its /64: rotating through it brings no fresh bucket.
    for (const suffix of ['1', '2', '3']) {
      expect(await upgradeStatus(`${ocppUrl(app.url)}/V6-${suffix}`, from(`2001:db8:1:2::${suffix}`))).toBe(
        101,
      );
    }
    expect(await upgradeStatus(`${ocppUrl(app.url)}/V6-4`, from('2001:db8:1:2:ffff::4'))).toBe(429);
    expect(await upgradeStatus(`${ocppUrl(app.url)}/V6-5`, from('2001:db8:1:3::1'))).toBe(101);
    // Under accept, too, a socket alone stores nothing.
    const stations = await app.request('GET', '/api/stations?limit=100', { token: app.admin });
    expect(stations.body.items.map((s: { chargePointId: string }) => s.chargePointId)).toEqual(['KNOWN-1']);
  });
});

describe.each(DIALECTS)('unknown charge points under accept on %s', (dialect) => {
  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' } });

  it('stores a new charge point at its boot connected and booted, as one already stored is', async () => {
    const station = (id: string) => app.request('GET', `/api/stations/${id}`, { token: app.admin });
    const { client, boot } = await bootChargePoint(app.url, 'FRESH-1');
    expect(boot.status).toBe('Accepted');
    const fresh = (await station('FRESH-1')).body;
    expect(fresh).toMatchObject({
      registration: 'accepted',
      connected: true,
      status: 'Unavailable',
      ocppVersion: '1.6',
      vendor: 'Acme',
      model: 'FastCharger 50',
      securityProfile: 0,
      hasOcppPassword: false,
    });
    expect(fresh.lastBootAt).toEqual(expect.any(String));
    const told = (id: string) =>
      app.publishedEvents.filter((e) => 'chargePointId' in e && e.chargePointId === id).map((e) => e.type);
    expect(told('FRESH-1')).toEqual(['StationConnected', 'StationStatusChanged', 'StationBooted']);

    // Stored by an operator between the upgrade and the boot: booted into the stored row.
    const late = await connectChargePoint(app.url, 'RACED-1');
    const created = await app.request('POST', '/api/stations', {
      token: app.admin,
      body: { chargePointId: 'RACED-1', name: 'Stored meanwhile', ocppPassword: null },
    });
    expect(created.status).toBe(201);
    expect(await late.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
    expect((await station('RACED-1')).body).toMatchObject({
      name: 'Stored meanwhile',
      connected: true,
      status: 'Unavailable',
      vendor: 'Acme',
      lastBootAt: expect.any(String),
    });
    expect(told('RACED-1')).toEqual(['StationConnected', 'StationStatusChanged', 'StationBooted']);
    await Promise.all([client.close(), late.close()]);
  });
});
