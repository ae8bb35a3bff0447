import { isDatabaseUnavailable } from '../errors.js';

/**
 * Group commit. Items handed in during one turn of the event loop are written together, in one
 * statement (or one transaction of statements), and each caller's promise settles once the
 * write that holds its items has committed: nothing is acknowledged before it is durable.
 *
 * Under light load a batch holds one caller's items and the write runs at `setImmediate`, so
 * nothing waits longer than before; under heavy load the batches grow with the load and the
 * cost of a commit is shared by everyone in it. While one write runs (PostgreSQL answers
 * asynchronously) everything handed in meanwhile gathers into the next batch, written as soon
 * as the running one is done: one write in flight at a time, however long it takes. If a batch
 * fails, each caller's items are written again on their own, so that one bad item fails only
 * its own caller; when the database itself failed (locked, unreachable), all fail at once.
 *
 * A write may tell what it did (`R`, e.g. which rows were new): each caller gets the result of the
 * write that held its items, and picks out its own.
 */
export class BatchWriter<T, R = void> {
  private pending: { items: readonly T[]; resolve: (result: R) => void; reject: (error: unknown) => void }[] =
    [];
  private scheduled = false;
  /** The write in flight, if any. */
  private writing: Promise<void> | undefined;

  /** @param write stores a batch atomically (one statement or one database transaction). */
  constructor(private readonly write: (items: readonly T[]) => Promise<R>) {}

  /** Resolves once `items` are stored, with what the write that held them did; rejects when storing them failed. */
  add(items: readonly T[]): Promise<R> {
    // Nothing to store waits for nobody.
    if (items.length === 0) return this.write(items);
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      // While a write runs, its completion starts the next one.
      if (!this.scheduled && this.writing === undefined) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what is pending now and resolves when every write so far has settled. */
  async close(): Promise<void> {
    this.flush();
    while (this.writing !== undefined) await this.writing;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.writing !== undefined || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
      this.flush();
    });
  }

  private async writeBatch(batch: typeof this.pending): Promise<void> {
    try {
      const result = await this.write(
        batch.length === 1 ? (batch[0]?.items ?? []) : batch.flatMap((entry) => entry.items),
      );
      for (const entry of batch) entry.resolve(result);
    } catch (error) {
      // A database that is locked or unreachable fails every item alike: no second round.
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      for (const entry of batch) {
        await this.write(entry.items).then(entry.resolve, entry.reject);
      }
    }
  }
}
