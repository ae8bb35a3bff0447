/**
 * Long synchronous work cut into slices, so that one large request (an id tag file at the body
 * limit) never holds the event loop for more than a few milliseconds: every charge point and
 * every other request gets a turn between two slices.
 */

/** The longest stretch of work between two turns of the event loop, in ms. */
const SLICE_MS = 4;

/** Steps between two readings of the clock. */
const CLOCK_EVERY = 64;

/** Lets everything waiting on the event loop (I/O, timers) run once. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Tells when the current slice of work has run out. */
export class SliceClock {
  private sliceStart = performance.now();

  /** True once the current slice has run out: then call `nextSlice()`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= SLICE_MS;
  }

  /** Gives the event loop a turn and starts a new slice. */
  async nextSlice(): Promise<void> {
    await nextTurn();
    this.sliceStart = performance.now();
  }
}

/** Runs steps (a generator that yields between bits of work) to their end, slice by slice. */
export async function runInSlices<T>(steps: Iterator<unknown, T>): Promise<T> {
  const clock = new SliceClock();
  for (let count = 1; ; count++) {
    const step = steps.next();
    if (step.done) return step.value;
    // Steps are small: reading the clock after each would cost as much as the steps themselves.
    if (count % CLOCK_EVERY === 0 && clock.due()) await clock.nextSlice();
  }
}

/** Collects the items of a lazy sequence, slice by slice. */
export async function collectInSlices<T>(items: Iterable<T>): Promise<T[]> {
  const clock = new SliceClock();
  const collected: T[] = [];
  for (const item of items) {
    collected.push(item);
    if (collected.length % CLOCK_EVERY === 0 && clock.due()) await clock.nextSlice();
  }
  return collected;
}
