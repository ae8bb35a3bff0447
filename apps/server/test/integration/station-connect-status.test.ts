import { describe, expect, it } from 'vitest';
import { deriveStationStatus } from '../../src/domain/station-status.js';
import { ConnectorRepository } from '../../src/repositories/connector.repository.js';
import { StationRepository } from '../../src/repositories/station.repository.js';
import { withDatabase } from '../support/database-handle.js';
import { DIALECTS } from '../support/databases.js';

const NOW = '2026-06-01T12:00:00.000Z';

/** Connector statuses by connector id (0: the charge point itself), one station each. */
const FLEETS: readonly (readonly string[])[] = [
  [],
  ['Unavailable'],
  ['Available', 'Available'],
  ['Available', 'Charging'],
  ['Available', 'SuspendedEV', 'Reserved'],
  ['Reserved', 'Available'],
  ['Faulted', 'Charging', 'Available'],
  ['Available', 'Occupied'],
  ['Preparing'],
  ['Finishing', 'Faulted'],
  ['Unavailable', 'Reserved'],
];

describe.each(DIALECTS)('a station connecting (%s)', (dialect) => {
  it('is stored connected with the status its connectors derive, in the statement that connects it', async () => {
    await withDatabase(dialect, async (handle) => {
      const stations = new StationRepository(handle.db);
      const connectors = new ConnectorRepository(handle.db);
      const derived: string[] = [];
      const stored: (string | undefined)[] = [];
      for (const [index, statuses] of FLEETS.entries()) {
        const station = await stations.createCredentials({
          chargePointId: `CONNECT-${index}`,
          name: `CONNECT-${index}`,
          location: null,
          ocppPasswordHash: null,
          securityProfile: 0,
          registration: 'accepted',
          now: NOW,
        });
        if (!station) throw new Error('station not stored');
        await Promise.all(
          statuses.map((status, connectorId) =>
            connectors.storeBatched(
              station.id,
              {
                connectorId,
                status,
                errorCode: 'NoError',
                info: null,
                vendorId: null,
                vendorErrorCode: null,
                timestamp: NOW,
              },
              NOW,
            ),
          ),
        );
        derived.push(deriveStationStatus(statuses));
        stored.push(await stations.connect(station.id, NOW, '2.0.1'));
      }
      expect(derived).toEqual([
        'Unavailable',
        'Unavailable',
        'Available',
        'Occupied',
        'Occupied',
        'Reserved',
        'Faulted',
        'Occupied',
        'Occupied',
        'Faulted',
        'Reserved',
      ]);
      expect(stored).toEqual(derived);
      const rows = await handle.db
        .selectFrom('stations')
        .select(['status', 'connected', 'ocpp_version'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual(derived.map((status) => ({ status, connected: 1, ocpp_version: '2.0.1' })));
      expect(await stations.connect(999_999, NOW)).toBeUndefined();
      await connectors.flush();
    });
  }, 30_000);
});
