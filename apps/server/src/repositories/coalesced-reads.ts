/** Keys one statement reads at the most. */
export const MAX_KEYS_PER_READ = 256;

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads of one row by key that arrive in the same turn of the event loop, answered together by
 * one statement each MAX_KEYS_PER_READ keys (a boot storm admits thousands of charge points a
 * second, each reading its credentials). The same key asked twice is read once. The key list
 * is padded to a power of two with its last key, so that a database sees a few SQL texts (each
 * prepared once) rather than one per batch size. A failed statement fails every read it held.
 */
export class CoalescedReads<V> {
  private waiting = new Map<string, Waiter<V>[]>();
  private scheduled = false;

  /** @param readMany the rows of `keys` (none for a key without one), by key */
  constructor(private readonly readMany: (keys: readonly string[]) => Promise<ReadonlyMap<string, V>>) {}

  /** The row of `key`, undefined when there is none. */
  read(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = new Map();
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += MAX_KEYS_PER_READ) {
      const chunk = keys.slice(start, start + MAX_KEYS_PER_READ);
      const settle = (each: (waiter: Waiter<V>, key: string) => void) => {
        for (const key of chunk) for (const waiter of batch.get(key) ?? []) each(waiter, key);
      };
      // A reader that throws at once fails its reads as one that rejects would.
      Promise.resolve()
        .then(() => this.readMany(padded(chunk)))
        .then(
          (rows) => settle((waiter, key) => waiter.resolve(rows.get(key))),
          (error: unknown) => settle((waiter) => waiter.reject(error)),
        );
    }
  }
}

/** `keys` (not empty) with its last key repeated up to the next power of two. */
function padded(keys: string[]): string[] {
  let size = 1;
  while (size < keys.length) size *= 2;
  const last = keys[keys.length - 1] as string;
  return size === keys.length ? keys : [...keys, ...Array<string>(size - keys.length).fill(last)];
}
