import { describe, expect, it } from 'vitest';
import { StationRepository } from '../../src/repositories/station.repository.js';
import { withDatabase } from '../support/database-handle.js';
import { DIALECTS } from '../support/databases.js';

const NOW = '2026-06-01T12:00:00.000Z';

describe.each(DIALECTS)('credential reads of many charge points at once (%s)', (dialect) => {
  it('gives each read its own station, and none to an unknown id or one that differs in case', async () => {
    await withDatabase(dialect, async (handle) => {
      const stations = new StationRepository(handle.db);
      const stored = new Map<string, number>();
      for (let index = 0; index < 300; index++) {
        const chargePointId = `READ-${index}`;
        const station = await stations.createCredentials({
          chargePointId,
          name: chargePointId,
          location: null,
          ocppPasswordHash: index % 3 === 0 ? `hash-${index}` : null,
          securityProfile: index % 3 === 0 ? 1 : 0,
          registration: index % 2 === 0 ? 'accepted' : 'pending',
          now: NOW,
        });
        if (!station) throw new Error(`${chargePointId} not stored`);
        stored.set(chargePointId, station.id);
      }
      // Every station twice, unknown ids, the same ids in lower case, an id with SQL in it.
      const asked = [
        ...stored.keys(),
        ...[...stored.keys()].reverse(),
        ...Array.from({ length: 100 }, (_, index) => `NOPE-${index}`),
        ...Array.from({ length: 20 }, (_, index) => `read-${index}`),
        "READ-1' OR '1'='1",
      ];
      const answers = await Promise.all(
        asked.map((chargePointId) => stations.findCredentials(chargePointId)),
      );
      asked.forEach((chargePointId, at) => {
        const id = stored.get(chargePointId);
        if (id === undefined) {
          expect(answers[at], chargePointId).toBeUndefined();
          return;
        }
        const index = Number(chargePointId.slice('READ-'.length));
        expect(answers[at], chargePointId).toEqual({
          id,
          registration: index % 2 === 0 ? 'accepted' : 'pending',
          passwordHash: index % 3 === 0 ? `hash-${index}` : null,
          securityProfile: index % 3 === 0 ? 1 : 0,
          pendingSecurityProfile: null,
        });
      });
    });
  });
});
