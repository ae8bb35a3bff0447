import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { CONFIGURATIONS, eventually, fakeConnection } from './cluster-configurations.js';

const stationId = () => `ROUTE-${randomBytes(4).toString('hex')}`;

describe.each(CONFIGURATIONS)('the $name command router', ({ nodes }) => {
  /** A station connected to the last node, called from the first (the same node in memory). */
  async function stationOnAnotherNode(answer: Parameters<typeof fakeConnection>[1]) {
    const { here: caller, elsewhere: holder } = await nodes();
    const id = stationId();
    holder.presence.register(fakeConnection(id, answer));
    await eventually(async () => (await caller.presence.nodeOf(id)) !== null);
    return { id, router: caller.router, holder };
  }

  it('delivers a command to the node holding the station and brings its answer back', async () => {
    const seen: unknown[] = [];
    const { id, router } = await stationOnAnotherNode((action, payload) => {
      seen.push([action, payload]);
      return { status: 'Accepted', echo: payload };
    });
    expect(
      await router.call(id, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' }, 1000),
    ).toEqual({
      status: 'Accepted',
      echo: { connectorId: 1, type: 'Inoperative' },
    });
    expect(seen).toEqual([['ChangeAvailability', { connectorId: 1, type: 'Inoperative' }]]);
  });

  it('answers STATION_OFFLINE for a station no node holds', async () => {
    const { router } = (await nodes()).here;
    await expect(router.call(stationId(), 'ClearCache', {}, 1000)).rejects.toMatchObject({
      code: 'STATION_OFFLINE',
    });
  });

  it('answers STATION_OFFLINE once the station left its node', async () => {
    const { here: caller, elsewhere: holder } = await nodes();
    const id = stationId();
    const connection = fakeConnection(id);
    holder.presence.register(connection);
    await eventually(async () => (await caller.presence.nodeOf(id)) !== null);
    holder.presence.unregister(connection);
    await eventually(async () => (await caller.presence.nodeOf(id)) === null);
    await expect(caller.router.call(id, 'ClearCache', {}, 1000)).rejects.toMatchObject({
      code: 'STATION_OFFLINE',
    });
  });

  it('rejects with the station error, code and details kept, whichever node took the request', async () => {
    const { id, router } = await stationOnAnotherNode(() => {
      throw new AppError('OCPP_CALL_ERROR', 'CP answered UnlockConnector with NotSupported', {
        ocppErrorCode: 'NotSupported',
      });
    });
    const failure = router.call(id, 'UnlockConnector', { connectorId: 1 }, 1000);
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({
      code: 'OCPP_CALL_ERROR',
      message: 'CP answered UnlockConnector with NotSupported',
      details: { ocppErrorCode: 'NotSupported' },
    });
  });

  it('keeps the calls to one station apart: each caller gets its own answer', async () => {
    const { id, router } = await stationOnAnotherNode(async (_action, payload) => {
      const { n } = payload as { n: number };
      await new Promise((resolve) => setTimeout(resolve, (5 - n) * 10));
      return { n };
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => router.call(id, 'DataTransfer', { n }, 1000)));
    expect(answers).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  });
});
