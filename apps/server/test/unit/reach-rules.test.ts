import { describe, expect, it } from 'vitest';
import { reachesIdTag, reachesUser, type Reacher } from '../../src/domain/reach.js';

const unscoped: Reacher = { id: 1, stationScope: null, allowedSites: null };
const siteManager: Reacher = { id: 2, stationScope: ['CS1', 'CS2', 'CS3'], allowedSites: [10] };
const stationUser: Reacher = { id: 3, stationScope: ['CS1'], allowedSites: [] };

describe('which users a user reaches', () => {
  it.each([
    [
      'an unscoped user reaches an unscoped one',
      unscoped,
      { id: 9, stationScope: null, allowedSites: null },
      true,
    ],
    ['an unscoped user reaches a scoped one', unscoped, stationUser, true],
    ['a scoped user reaches itself', stationUser, stationUser, true],
    ['a scoped user reaches a user within its stations', siteManager, stationUser, true],
    [
      'a scoped user reaches a user of its site',
      siteManager,
      { id: 4, stationScope: ['CS2'], allowedSites: [10] },
      true,
    ],
    [
      'a scoped user reaches a user with no stations',
      stationUser,
      { id: 5, stationScope: [], allowedSites: [] },
      true,
    ],
    ['a scoped user does not reach an unscoped one', siteManager, unscoped, false],
    ['a scoped user does not reach a wider one', stationUser, siteManager, false],
    [
      'a scoped user does not reach one of another station',
      stationUser,
      { id: 6, stationScope: ['CS9'], allowedSites: [] },
      false,
    ],
    [
      'a scoped user does not reach one of another site, even with the same stations now',
      siteManager,
      { id: 7, stationScope: ['CS1'], allowedSites: [11] },
      false,
    ],
  ])('%s', (_case, actor, target, expected) => {
    expect(reachesUser(actor, target)).toBe(expected);
  });
});

describe('which id tags a user reaches', () => {
  const reachable = new Set([2, 3]);
  it.each([
    ['an unscoped user reaches a tag of nobody', unscoped, { createdBy: null, userId: null }, true],
    ['an unscoped user reaches any tag', unscoped, { createdBy: 8, userId: 9 }, true],
    ['a scoped user reaches a tag it created', siteManager, { createdBy: 2, userId: null }, true],
    [
      'a scoped user reaches a tag created by a user it reaches',
      siteManager,
      { createdBy: 3, userId: null },
      true,
    ],
    [
      'a scoped user reaches a tag assigned to a user it reaches',
      siteManager,
      { createdBy: 1, userId: 3 },
      true,
    ],
    ['a scoped user does not reach a network-wide tag', siteManager, { createdBy: 1, userId: null }, false],
    [
      'a scoped user does not reach a tag of unknown origin',
      siteManager,
      { createdBy: null, userId: null },
      false,
    ],
    [
      'a scoped user does not reach a tag of a user beyond it',
      siteManager,
      { createdBy: 8, userId: 9 },
      false,
    ],
  ])('%s', (_case, actor, tag, expected) => {
    expect(reachesIdTag(actor, tag, reachable)).toBe(expected);
  });
});
