// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { SiteLoad } from '../../src/api';
import { createRealtime } from '../../src/realtime';
import { useSiteLoadsStore } from '../../src/stores/siteLoads';
import { useAuthStore } from '../../src/stores/auth';
import { fakeApi, userWith } from '../support/fake-api';
import { piniaWith } from '../support/mount';

const LOAD: SiteLoad = {
  limitKw: 50,
  allocatedKw: 49.9,
  measuredKw: 31.2,
  sessions: [
    {
      chargePointId: 'CS001',
      connectorId: 1,
      transactionId: 7,
      limitKw: 24.95,
      powerKw: 20.1,
      paused: false,
    },
    { chargePointId: 'CS002', connectorId: 2, transactionId: 8, limitKw: 0, powerKw: null, paused: true },
  ],
};

describe('the load of a site', () => {
  it('keeps a point per answer and per site_load_updated of a site on screen, and reads the sessions again', async () => {
    let reads = 0;
    piniaWith(
      fakeApi({
        auth: { login: async () => ({ token: 'jwt-1', expiresIn: 3600, user: userWith(['stations.view']) }) },
        sites: {
          load: async () => {
            reads += 1;
            return LOAD;
          },
        },
      }),
    );
    await useAuthStore().login('tester', 'secret-pass');
    const loads = useSiteLoadsStore();
    let handlers: Parameters<
      NonNullable<Parameters<typeof createRealtime>[0]['createService']>
    >[0]['handlers'];
    const realtime = createRealtime({
      url: 'http://localhost',
      notify: () => undefined,
      createService: (options) => {
        handlers = options.handlers;
        return {
          connect: () => ({ on: () => undefined, connect: () => undefined }) as never,
          joinRoom: async () => ({ ok: true }),
          leaveRoom: async () => ({ ok: true }),
          disconnect: () => undefined,
        };
      },
    });
    await loads.load(3);
    expect(loads.byId[3]).toEqual(LOAD);
    // A site nobody watches is not kept.
    realtime.start();
    const event = { limitKw: 50, allocatedKw: 40, measuredKw: 30, timestamp: '2026-01-11T17:00:00.000Z' };
    handlers?.site_load_updated?.({ siteId: 4, ...event });
    expect(loads.history[4]).toBeUndefined();
    handlers?.site_load_updated?.({ siteId: 3, ...event });
    expect(loads.history[3]?.at(-1)).toEqual({
      t: Date.parse(event.timestamp) / 1000,
      limitKw: 50,
      allocatedKw: 40,
      measuredKw: 30,
    });
    await Promise.resolve();
    expect(reads).toBe(2);
    loads.forget(3);
    expect(loads.history[3]).toBeUndefined();
  });
});
