import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFIGURATIONS, eventually, fakeConnection } from './cluster-configurations.js';

const stationId = () => `PRES-${randomBytes(4).toString('hex')}`;

describe.each(CONFIGURATIONS)('the $name station presence', ({ nodes }) => {
  it('answers the connection it replaced, and only ever the current one', async () => {
    const { presence } = (await nodes()).here;
    const id = stationId();
    const first = fakeConnection(id);
    const second = fakeConnection(id);
    expect(presence.register(first)).toBeUndefined();
    expect(presence.register(first)).toBeUndefined();
    expect(presence.register(second)).toBe(first);
    expect(presence.get(id)).toBe(second);
    expect(presence.isCurrent(first)).toBe(false);
    expect(presence.isCurrent(second)).toBe(true);
    expect(presence.all()).toContain(second);
    expect(presence.all()).not.toContain(first);
  });

  it('forgets a connection only while it is the current one', async () => {
    const { presence } = (await nodes()).here;
    const id = stationId();
    const first = fakeConnection(id);
    const second = fakeConnection(id);
    presence.register(first);
    presence.register(second);
    expect(presence.unregister(first)).toBe(false);
    expect(presence.get(id)).toBe(second);
    expect(presence.unregister(second)).toBe(true);
    expect(presence.unregister(second)).toBe(false);
    expect(presence.get(id)).toBeUndefined();
    expect(presence.all()).not.toContain(second);
  });

  it('tells every node which node holds a station, and that none does once it left', async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    expect(await elsewhere.presence.nodeOf(id)).toBeNull();
    const connection = fakeConnection(id);
    here.presence.register(connection);
    let holder: string | null = null;
    await eventually(async () => (holder = await elsewhere.presence.nodeOf(id)) !== null);
    expect(await here.presence.nodeOf(id)).toBe(holder);
    here.presence.unregister(connection);
    await eventually(async () => (await elsewhere.presence.nodeOf(id)) === null);
    expect(await here.presence.nodeOf(id)).toBeNull();
  });

  it('keeps a station held by a live node when another node is forgotten', async () => {
    const { presence } = (await nodes()).here;
    const id = stationId();
    presence.register(fakeConnection(id));
    await eventually(async () => (await presence.nodeOf(id)) !== null);
    const holder = await presence.nodeOf(id);
    expect(await presence.forgetNode(`gone-${randomBytes(4).toString('hex')}`, id)).toBe(false);
    expect(await presence.nodeOf(id)).toBe(holder);
    expect(presence.get(id)?.chargePointId).toBe(id);
  });

  it('closes the older connection when the station connects again through any node', async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    const old = fakeConnection(id);
    here.presence.register(old);
    await eventually(async () => (await elsewhere.presence.nodeOf(id)) !== null);
    const newer = fakeConnection(id);
    const replaced = elsewhere.presence.register(newer);
    // On one node the caller closes what register answered; across nodes the holder closes it.
    await replaced?.close(4000, 'Replaced by a new connection');
    await eventually(() => old.closedWith === 4000);
    expect(newer.closedWith).toBeUndefined();
    expect(elsewhere.presence.get(id)).toBe(newer);
    await eventually(async () => (await here.presence.nodeOf(id)) === (await elsewhere.presence.nodeOf(id)));
    expect(here.presence.get(id)).toBe(here === elsewhere ? newer : undefined);
  });

  it('lets go of its stations as the node shuts down', async () => {
    const { here, elsewhere, all } = await nodes();
    const id = stationId();
    here.presence.register(fakeConnection(id));
    await eventually(async () => (await elsewhere.presence.nodeOf(id)) !== null);
    await here.presence.close();
    for (const node of all) expect(await node.presence.nodeOf(id)).toBeNull();
  });
});
