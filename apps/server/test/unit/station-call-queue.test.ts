import { describe, expect, it } from 'vitest';
import { StationCallQueue } from '../../src/services/station-call-queue.js';

/** A call that records its start and settles when told to. */
function call(started: string[], name: string) {
  let settle: () => void = () => undefined;
  const run = () => {
    started.push(name);
    return new Promise<void>((resolve) => (settle = resolve));
  };
  return { run, settle: () => settle() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the calls queued per station', () => {
  it('keeps one call in flight per station, the latest wanted for a key winning, without holding other stations', async () => {
    const started: string[] = [];
    const queue = new StationCallQueue();
    const first = call(started, 'A1 first');
    expect(queue.put('A', 1, first.run)).toBe(true);
    // A is busy: these wait, and a newer call for key 2 replaces the older one.
    expect(queue.put('A', 2, call(started, 'A2 old').run)).toBe(false);
    const latest = call(started, 'A2 latest');
    expect(queue.put('A', 2, latest.run)).toBe(false);
    expect(queue.put('A', 3, call(started, 'A3 dropped').run)).toBe(false);
    queue.drop('A', 3);
    // Station B is not held by A's silence.
    expect(queue.put('B', 4, call(started, 'B4').run)).toBe(true);
    expect(started).toEqual(['A1 first', 'B4']);
    first.settle();
    await tick();
    expect(started).toEqual(['A1 first', 'B4', 'A2 latest']);
    latest.settle();
    await tick();
    expect(started).toEqual(['A1 first', 'B4', 'A2 latest']);
  });

  it('goes on with the next call when one fails', async () => {
    const started: string[] = [];
    const queue = new StationCallQueue();
    queue.put('A', 1, () => Promise.reject(new Error('timeout')));
    queue.put('A', 2, call(started, 'A2').run);
    await tick();
    expect(started).toEqual(['A2']);
  });
});
