import { describe, expect, it } from 'vitest';
import { mayUseReservation, reservationToUse } from '../../src/domain/reservation.js';

describe('who may use a reservation', () => {
  const forChild = { idTag: 'CHILD', parentIdTag: 'PARENT' };
  const forLoner = { idTag: 'LONER', parentIdTag: null };

  it.each([
    ['the reserved tag', forChild, 'CHILD', 'PARENT', true],
    ['a sibling: same parent', forChild, 'SIBLING', 'PARENT', true],
    ['the parent tag itself', forChild, 'PARENT', null, false],
    ['a child of the reserved tag', forLoner, 'KID', 'LONER', true],
    ['a tag of another parent', forChild, 'OTHER', 'ELSEWHERE', false],
    ['a tag without a parent', forChild, 'OTHER', null, false],
    ['the reserved tag, no parent anywhere', forLoner, 'LONER', null, true],
    ['another tag, no parent anywhere', forLoner, 'OTHER', null, false],
  ] as const)('%s', (_case, reservation, idTag, parentIdTag, allowed) => {
    expect(mayUseReservation(reservation, idTag, parentIdTag)).toBe(allowed);
  });
});

describe('which reservation a StartTransaction uses', () => {
  const onConnector = { reservationId: 1, connectorId: 2, idTag: 'A', parentIdTag: 'P' };
  const stationWide = { reservationId: 2, connectorId: 0, idTag: 'A', parentIdTag: 'P' };
  const named = { reservationId: 3, connectorId: 5, idTag: 'A', parentIdTag: 'P' };

  it('prefers the one the charge point names, then the connector’s own, then the station-wide one', () => {
    const all = [stationWide, onConnector, named];
    expect(reservationToUse(all, { idTag: 'A', reservationId: 3 }, 'P')).toBe(named);
    expect(reservationToUse(all, { idTag: 'A' }, 'P')).toBe(onConnector);
    expect(reservationToUse([stationWide], { idTag: 'A' }, 'P')).toBe(stationWide);
  });

  it('uses none when none is the tag’s', () => {
    expect(reservationToUse([onConnector, stationWide], { idTag: 'B' }, null)).toBeUndefined();
    expect(reservationToUse([], { idTag: 'A' }, 'P')).toBeUndefined();
  });

  it('skips a named reservation of another tag for one that is the tag’s', () => {
    const other = { ...named, idTag: 'Z', parentIdTag: null };
    expect(reservationToUse([other, onConnector], { idTag: 'A', reservationId: 3 }, null)).toBe(onConnector);
  });
});
