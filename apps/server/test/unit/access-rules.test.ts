import { describe, expect, it } from 'vitest';
import { canSeeStation, holdsAll, scopeWithin } from '../../src/domain/user.js';

describe('station scope rules', () => {
  it.each([
    [null, null, true],
    [['CS001'], null, true],
    [[], ['CS001'], true],
    [['CS001'], ['CS001', 'CS002'], true],
    [['CS003'], ['CS001', 'CS002'], false],
    [null, ['CS001'], false],
    [['CS001', 'CS003'], ['CS001'], false],
  ])('scope %j is within %j: %s', (inner, outer, expected) => {
    expect(scopeWithin(inner, outer)).toBe(expected);
  });

  it.each([
    [null, 'CS001', true],
    [['CS001'], 'CS001', true],
    [['CS001'], 'CS0011', false],
    [[], 'CS001', false],
  ])('scope %j sees %s: %s', (scope, station, expected) => {
    expect(canSeeStation(scope, station)).toBe(expected);
  });
});

describe('granting permissions', () => {
  it.each([
    [['system.admin'], ['users.manage', 'system.admin'], true],
    [['users.manage', 'users.view'], ['users.view'], true],
    [['users.manage'], ['users.view'], false],
    [['users.manage'], ['system.admin'], false],
    [[], [], true],
  ])('a holder of %j may grant %j: %s', (held, wanted, expected) => {
    expect(holdsAll({ permissions: held }, wanted)).toBe(expected);
  });
});
