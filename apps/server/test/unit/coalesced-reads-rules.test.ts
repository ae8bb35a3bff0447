import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoalescedReads, MAX_KEYS_PER_READ } from '../../src/repositories/coalesced-reads.js';

/** A reader over `rows` that records the keys of each statement it was asked to run. */
function recordingReader(rows: ReadonlyMap<string, number>) {
  const statements: string[][] = [];
  const reads = new CoalescedReads<number>(async (keys) => {
    statements.push([...keys]);
    return new Map([...keys].filter((key) => rows.has(key)).map((key) => [key, rows.get(key) as number]));
  });
  return { reads, statements };
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

describe('reads coalesced by key', () => {
  it('answers every read of one turn with its own row, one statement per 256 distinct keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 700 }),
        fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()),
        async (asked, stored) => {
          const rows = new Map(Object.entries(stored));
          const { reads, statements } = recordingReader(rows);
          const answers = await Promise.all(asked.map((key) => reads.read(key)));
          expect(answers).toEqual(asked.map((key) => rows.get(key)));
          const distinct = new Set(asked);
          expect(statements).toHaveLength(Math.ceil(distinct.size / MAX_KEYS_PER_READ));
          expect(new Set(statements.flat())).toEqual(distinct);
          for (const keys of statements) {
            expect(isPowerOfTwo(keys.length)).toBe(true);
            expect(keys.length).toBeLessThanOrEqual(MAX_KEYS_PER_READ);
            // Padded with its own last key: no key of another statement, none twice but that one.
            expect(new Set(keys).size).toBeGreaterThan(keys.length / 2);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads again in a later turn: nothing is remembered between statements', async () => {
    const rows = new Map([['CP-1', 1]]);
    const { reads, statements } = recordingReader(rows);
    expect(await reads.read('CP-1')).toBe(1);
    rows.set('CP-1', 2);
    expect(await reads.read('CP-1')).toBe(2);
    expect(statements).toEqual([['CP-1'], ['CP-1']]);
  });

  it('fails every read a failed statement held, and reads again afterwards', async () => {
    let fail: 'reject' | 'throw' | null = 'reject';
    const reads = new CoalescedReads<string>((keys) => {
      if (fail === 'throw') throw new Error('database gone (at once)');
      if (fail === 'reject') return Promise.reject(new Error('database gone'));
      return Promise.resolve(new Map(keys.map((key) => [key, `row of ${key}`])));
    });
    const failed = await Promise.allSettled(['A', 'B', 'A'].map((key) => reads.read(key)));
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    fail = 'throw';
    await expect(reads.read('C')).rejects.toThrow('database gone (at once)');
    fail = null;
    expect(await Promise.all([reads.read('A'), reads.read('B')])).toEqual(['row of A', 'row of B']);
  });
});
