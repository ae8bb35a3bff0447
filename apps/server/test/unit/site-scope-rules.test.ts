import { describe, expect, it } from 'vitest';
import { incompletePosition } from '../../src/domain/site.js';
import { mayPlaceStation, scopeGrant, sitesWithin } from '../../src/domain/user.js';

describe('station scope by site', () => {
  it.each([
    [null, null, null],
    [['CS001'], null, { stations: ['CS001'], sites: [] }],
    [null, [3], { stations: [], sites: [3] }],
    [[], [], { stations: [], sites: [] }],
    [['CS001'], [3], { stations: ['CS001'], sites: [3] }],
  ])('stations %j and sites %j grant %j', (stations, sites, expected) => {
    expect(scopeGrant(stations, sites)).toEqual(expected);
  });

  it.each([
    [null, null, true],
    [[1], null, true],
    [[], [1], true],
    [[1], [1, 2], true],
    [[3], [1, 2], false],
    [null, [1], false],
  ])('sites %j are within %j: %s', (inner, outer, expected) => {
    expect(sitesWithin(inner, outer)).toBe(expected);
  });

  const everyStation = { stationScope: null, allowedStations: null, allowedSites: null };
  const scoped = { stationScope: ['CS001', 'CS002'], allowedStations: ['CS001'], allowedSites: [7] };
  it.each([
    [everyStation, 'CS999', null, true],
    [everyStation, 'CS999', 4, true],
    [scoped, 'CS001', null, true],
    [scoped, 'CS001', 4, true],
    [scoped, 'CS002', 7, true],
    [scoped, 'CS002', null, false],
    [scoped, 'CS002', 4, false],
    [scoped, 'CS003', 7, true],
  ])('%j may place %s at site %s: %s', (actor, chargePointId, siteId, expected) => {
    expect(mayPlaceStation(actor, { chargePointId, siteId })).toBe(expected);
  });

  it.each([
    [null, null, []],
    [1, 2, []],
    [1, null, ['longitude']],
    [null, 2, ['latitude']],
  ])('a position of %s, %s lacks %j', (latitude, longitude, fields) => {
    expect(incompletePosition(latitude, longitude)).toEqual(fields);
  });
});
