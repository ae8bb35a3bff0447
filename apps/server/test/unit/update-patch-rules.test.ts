import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flagOf, given } from '../../src/repositories/patch.js';

describe('given (the columns of an update patch)', () => {
  it('leaves out the fields not given and writes null, 0, empty text and false', () => {
    expect(given({ name: undefined, address: null, phases: 0, location: '', active: false })).toEqual({
      address: null,
      phases: 0,
      location: '',
      active: false,
    });
  });

  it('keeps exactly the entries whose value is not undefined, unchanged', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string()),
        ),
        (columns) => {
          const patch = given(columns);
          const kept = Object.entries(columns).filter(([, value]) => value !== undefined);
          expect(Object.entries(patch)).toEqual(kept);
        },
      ),
    );
  });
});

describe('flagOf', () => {
  it('writes a boolean as 0/1 and leaves an absent one out', () => {
    expect([flagOf(true), flagOf(false), flagOf(undefined)]).toEqual([1, 0, undefined]);
  });
});
