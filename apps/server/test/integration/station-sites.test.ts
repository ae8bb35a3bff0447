import { describe, expect, it } from 'vitest';
import { LoadRepository } from '../../src/repositories/load.repository.js';
import { SiteRepository } from '../../src/repositories/site.repository.js';
import { SITE_MEMORY_MS, StationSites } from '../../src/services/station-sites.js';
import { insertStation, withDatabase } from '../support/database-handle.js';
import { DIALECTS } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';

const NOW = '2026-06-01T12:00:00.000Z';

describe.each(DIALECTS)("the load manager's memory of each station's site (%s)", (dialect) => {
  it('reads a station once per SITE_MEMORY_MS however often it is asked, and sees a move after it', async () => {
    await withDatabase(dialect, async (handle) => {
      const site = await new SiteRepository(handle.db).create({ name: 'Depot', maxPowerKw: 50 }, NOW);
      const stationId = await insertStation(handle, 'SITES-1', NOW);
      const loads = new LoadRepository(handle.db);
      let reads = 0;
      const counted = {
        siteOf: (chargePointId: string) => {
          reads += 1;
          return loads.siteOf(chargePointId);
        },
      };
      const clock = new ManualClock();
      const sites = new StationSites(counted, clock);

      // Every meter value asks: one read answers them all.
      for (let i = 0; i < 50; i++) expect(await sites.of('SITES-1')).toBeNull();
      expect(reads).toBe(1);

      // Placed at a site: remembered as it was until the memory is old, then read again.
      await handle.db.updateTable('stations').set({ site_id: site.id }).where('id', '=', stationId).execute();
      clock.advance(SITE_MEMORY_MS - 1);
      expect(await sites.of('SITES-1')).toBeNull();
      clock.advance(1);
      expect(await sites.of('SITES-1')).toBe(site.id);
      expect(reads).toBe(2);

      // A boot reads it at once; a station forgotten (disconnected) is read again when asked.
      expect(await sites.fresh('SITES-1')).toBe(site.id);
      expect(reads).toBe(3);
      sites.forget('SITES-1');
      expect(await sites.of('SITES-1')).toBe(site.id);
      expect(reads).toBe(4);
      expect(await sites.of('UNKNOWN')).toBeNull();
      expect(reads).toBe(5);

      // What a boot's write read back is remembered without a read.
      sites.forget('SITES-1');
      expect(await sites.told('SITES-1', site.id)).toBe(site.id);
      expect(await sites.of('SITES-1')).toBe(site.id);
      expect(reads).toBe(5);

      // Forgotten (disconnected) while a read was under way: that read is not remembered.
      clock.advance(SITE_MEMORY_MS);
      const underWay = sites.of('SITES-1');
      sites.forget('SITES-1');
      expect(await underWay).toBe(site.id);
      expect(reads).toBe(6);
      expect(await sites.of('SITES-1')).toBe(site.id);
      expect(reads).toBe(7);
    });
  });

  it('joins the read under way: meter values faster than a slow read cost one read, not one each', async () => {
    await withDatabase(dialect, async (handle) => {
      await insertStation(handle, 'SITES-SLOW', NOW);
      const loads = new LoadRepository(handle.db);
      let reads = 0;
      const slow = {
        siteOf: async (chargePointId: string) => {
          reads += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return loads.siteOf(chargePointId);
        },
      };
      const sites = new StationSites(slow, new ManualClock());
      const asked: Promise<number | null>[] = [];
      // One meter value a turn while the first read is still under way.
      for (let turn = 0; turn < 200; turn++) {
        asked.push(sites.of('SITES-SLOW'));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await Promise.all(asked)).toEqual(asked.map(() => null));
      expect(reads).toBeLessThanOrEqual(2);
      // And it is remembered: the next one reads nothing.
      const before = reads;
      expect(await sites.of('SITES-SLOW')).toBeNull();
      expect(reads).toBe(before);
    });
  });

  it('answers each of many stations asked in the same turn (one coalesced read) with its own site', async () => {
    await withDatabase(dialect, async (handle) => {
      const site = await new SiteRepository(handle.db).create({ name: 'Yard', maxPowerKw: 50 }, NOW);
      const ids = Array.from({ length: 40 }, (_, index) => `MANY-${index}`);
      for (const [index, id] of ids.entries()) {
        const stationId = await insertStation(handle, id, NOW);
        if (index % 2 === 0)
          await handle.db
            .updateTable('stations')
            .set({ site_id: site.id })
            .where('id', '=', stationId)
            .execute();
      }
      const loads = new LoadRepository(handle.db);
      const asked = [...ids, ...ids, 'NOWHERE'];
      const answers = await Promise.all(asked.map((id) => loads.siteOf(id)));
      expect(answers).toEqual(
        asked.map((id) => (id === 'NOWHERE' || Number(id.slice(5)) % 2 ? null : site.id)),
      );
    });
  });
});
