import { sql } from 'kysely';
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

describe.each(DIALECTS)('charge points registering at their boot in the same turn (%s)', (dialect) => {
  const boot = (index: number) => ({
    identity: {
      vendor: `Vendor ${index}`,
      model: `Model ${index}`,
      serialNumber: index % 2 === 0 ? `SN-${index}` : null,
      chargeBoxSerialNumber: null,
      firmwareVersion: '1.0',
      iccid: null,
      imsi: null,
      meterType: null,
      meterSerialNumber: null,
    },
    protocol: 'ocpp1.6',
    ocppVersion: '1.6' as const,
    now: NOW,
    status: 'Available' as const,
  });
  const station = (chargePointId: string) => ({
    chargePointId,
    name: chargePointId,
    location: null,
    ocppPasswordHash: null,
    securityProfile: 0 as const,
    registration: 'accepted' as const,
    now: NOW,
  });

  it('stores each one connected and booted, once, and tells a taken id apart', async () => {
    await withDatabase(dialect, async (handle) => {
      const stations = new StationRepository(handle.db);
      const taken = await stations.createCredentials(station('TAKEN'));
      if (!taken) throw new Error('TAKEN not stored');
      // 600 new ids (more than one statement holds), one id twice, and the taken one, all at once.
      const ids = [...Array.from({ length: 600 }, (_, index) => `BOOT-${index}`), 'TWICE', 'TWICE', 'TAKEN'];
      const answers = await Promise.all(
        ids.map((chargePointId, index) => stations.createCredentials(station(chargePointId), boot(index))),
      );
      const created = answers.slice(0, 600);
      expect(created.every((answer) => answer?.registration === 'accepted')).toBe(true);
      expect(new Set(created.map((answer) => answer?.id)).size).toBe(600);
      // One connection of TWICE stored it, the other was told it is taken; TAKEN was taken already.
      expect(answers.slice(600, 602).filter((answer) => answer !== undefined)).toHaveLength(1);
      expect(answers[602]).toBeUndefined();

      for (const at of [0, 1, 599]) {
        const stored = await stations.find(`BOOT-${at}`);
        expect(stored, `BOOT-${at}`).toMatchObject({
          id: created[at]?.id,
          connected: true,
          vendor: `Vendor ${at}`,
          model: `Model ${at}`,
          serialNumber: at % 2 === 0 ? `SN-${at}` : null,
          ocppVersion: '1.6',
          firmwareVersion: '1.0',
          registration: 'accepted',
          status: 'Available',
          lastBootAt: NOW,
          lastSeenAt: NOW,
        });
      }
      expect(await stations.find('TAKEN')).toMatchObject({
        id: taken.id,
        connected: false,
        lastBootAt: null,
      });
      expect(await stations.findCredentials('TWICE')).toBeDefined();
      if (dialect === 'postgres') {
        // Rows one transaction wrote share its id (xmin): the 600 came in one, not one commit each.
        const { rows } = await sql<{ commits: string }>`
          select count(distinct xmin::text) as commits from stations where charge_point_id like 'BOOT-%'
        `.execute(handle.db);
        expect(Number(rows[0]?.commits)).toBe(1);
      }
    });
  });

  it('registers a charge point arriving alone as before', async () => {
    await withDatabase(dialect, async (handle) => {
      const stations = new StationRepository(handle.db);
      const alone = await stations.createCredentials(station('ALONE'), boot(1));
      expect(alone).toMatchObject({ registration: 'accepted', passwordHash: null, securityProfile: 0 });
      expect(await stations.createCredentials(station('ALONE'), boot(2))).toBeUndefined();
      expect(await stations.find('ALONE')).toMatchObject({ id: alone?.id, vendor: 'Vendor 1' });
    });
  });
});
