import fc from 'fast-check';

/** Numbers at the edges of what JSON, JavaScript, SQL integers and doubles can hold. */
export const EXTREME_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e-7,
  5e-324,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  2 ** 63,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

export const EXTREME_INTEGERS = EXTREME_NUMBERS.filter((n) => Number.isInteger(n));

/** Text that has broken parsers, databases, logs and terminals before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202Eevil',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '👩‍👩‍👧‍👦',
  'é',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '\u2028\u2029',
  "'; DROP TABLE stations; --",
  '" OR 1=1 --',
  '%E0%A4%A',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '99999999999999999999',
  'null',
  'true',
  '\r\n\r\nX-Injected: 1',
];

/** Date-times at and beyond the edges: valid RFC 3339, real instants, neither, or nonsense. */
export const EXTREME_DATE_TIMES: readonly string[] = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000Z',
  '1900-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '2038-01-19T03:14:08Z',
  '9999-12-31T23:59:59.999Z',
  '2026-12-31T23:59:60Z',
  '2026-02-30T00:00:00Z',
  '2026-01-11T14:30:00+14:00',
  '2026-01-11T14:30:00-12:00',
  '2026-01-11T14:30:00.123456789Z',
  '2026-01-11t14:30:00z',
  '2026-01-11T14:30:00',
  '2026-01-11',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '99999-01-01T00:00:00Z',
  'yesterday',
  '',
];

/** A date-time: mostly around now, often at an edge, sometimes anywhere JavaScript can name. */
export const dateTimeText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EXTREME_DATE_TIMES), weight: 3 },
  {
    arbitrary: fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString()),
    weight: 2,
  },
  { arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), weight: 1 },
);

/** Any string, nasty ones weighted up. */
export const nastyString = (maxLength = 64): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength }), weight: 2 },
    { arbitrary: fc.string({ maxLength }), weight: 1 },
  );

/** A number, extremes weighted up. */
export const extremeNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...EXTREME_NUMBERS), weight: 3 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

export const extremeInteger: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...EXTREME_INTEGERS), weight: 3 },
  { arbitrary: fc.integer({ min: -10, max: 10 }), weight: 1 },
  { arbitrary: fc.maxSafeInteger(), weight: 1 },
);

/** Any JSON value, nested a little, with nasty strings and extreme numbers inside. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    extremeNumber,
    nastyString(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.oneof(nastyString(12), fc.constantFrom('__proto__', 'constructor', 'prototype')),
      tie('value'),
      {
        maxKeys: 5,
      },
    ),
  ),
})).value;

/** An own property, also for `__proto__`, which plain assignment would turn into a prototype. */
export function withOwnProperty(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}
