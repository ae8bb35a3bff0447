import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareOffsets } from '../../src/realtime/stream-adapter.js';

/** A Redis stream id: `<ms>-<sequence>`, both unsigned 64-bit (beyond a double's exact range). */
const streamId = fc
  .tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
  .map(([ms, seq]) => ({ ms, seq, id: `${ms}-${seq}` }));

describe('compareOffsets (the order of Redis stream ids, which restored events are filtered by)', () => {
  it('orders by time, then by sequence, as Redis does', () => {
    fc.assert(
      fc.property(streamId, streamId, (a, b) => {
        const expected =
          a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.seq === b.seq ? 0 : a.seq < b.seq ? -1 : 1;
        expect(compareOffsets(a.id, b.id)).toBe(expected);
        expect(compareOffsets(b.id, a.id)).toBe(-expected);
      }),
    );
  });

  it('reads the numbers, not the text', () => {
    expect(compareOffsets('1796057427971-10', '1796057427971-9')).toBe(1);
    expect(compareOffsets('999-0', '1000-0')).toBe(-1);
    expect(compareOffsets('18446744073709551615-1', '18446744073709551615-0')).toBe(1);
    expect(compareOffsets('5-5', '5-5')).toBe(0);
  });
});
