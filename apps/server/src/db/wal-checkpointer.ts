import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code: its own connection to the database file, checkpointing the WAL into the
 * main file every `intervalMs` in PASSIVE mode (never waiting for, nor blocking, the writer).
 * A passive checkpoint that a commit overtakes does not let the WAL start again from its
 * beginning, so under writes that never pause (sustained ingest, a bulk load) the WAL would grow
 * for as long as they last and keep that size on disk: 1 GB in 10 s of 6,800 commits a second.
 * Past `limitBytes` the worker therefore takes a TRUNCATE checkpoint: it waits for the writer's
 * current transaction, copies the frames the passive one left, and empties the WAL file; the
 * server's writes meanwhile wait off the event loop (sqlite-busy.ts). It does so only when the
 * passive checkpoint left at most `leftBytes` to copy: the writes wait for that copy, and a
 * copy of gigabytes (a WAL that passive checkpoints could not keep up with) would outlast their
 * patience (5 s) and fail them; such a WAL is copied passively until it is caught up.
 * Plain CommonJS run with `eval`, so that it needs no build step and no TypeScript loader.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path);
// Only the TRUNCATE checkpoint waits (a passive one never does): for the writer's lock, then,
// holding it, for the readers to leave the WAL. A reader that stays (a backup's long snapshot)
// would stall every write for as long as this: the emptying gives up soon and tries again later.
db.pragma('busy_timeout = ' + workerData.patienceMs);
const pageSize = db.pragma('page_size', { simple: true });
const limitPages = Math.ceil(workerData.limitBytes / pageSize);
const leftPages = Math.ceil(workerData.leftBytes / pageSize);
const timer = setInterval(() => {
  try {
    const [wal] = db.pragma('wal_checkpoint(PASSIVE)');
    if (wal.log > limitPages && wal.log - wal.checkpointed <= leftPages) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * The WAL's size past which it is emptied (a TRUNCATE checkpoint) rather than only copied. The
 * writes wait for the emptying (a quick ingest bench at 2,000 to 4,000 MeterValues/s read p99 71
 * to 146 ms instead of 9 to 15 with the limit at 64 MB, reached every few seconds); at 1 GB that
 * wait comes about once a minute at 4,000 MeterValues/s, and the disk holds at most about 1 GB
 * of WAL instead of everything written since the load began.
 */
export const WAL_LIMIT_BYTES = 2 ** 30;

/** At most this much left to copy by the TRUNCATE checkpoint, which the writes wait for. */
export const WAL_LEFT_BYTES = 8 * 2 ** 20;

/** How long the TRUNCATE checkpoint waits for the writer, then for the readers, ms. */
const WAL_EMPTY_PATIENCE_MS = 50;

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits
 * past 1,000 WAL pages copies them into the database file and fsyncs it, inside that commit,
 * on the event loop: every charge point waits meanwhile (the bench saw p99 stalls of 100+ ms
 * at 4,000 MeterValues/s with the server's core not busy). Here a worker thread does it on
 * its own connection, and the server's connection never checkpoints by itself
 * (`wal_autocheckpoint = 0`, set by the caller).
 */
export function startWalCheckpointer(
  path: string,
  intervalMs: number,
  onError: (message: string) => void,
  limitBytes = WAL_LIMIT_BYTES,
  leftBytes = WAL_LEFT_BYTES,
): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs, limitBytes, leftBytes, patienceMs: WAL_EMPTY_PATIENCE_MS },
  });
  worker.on('message', (message: string) => onError(message));
  worker.on('error', (error) => onError(String(error)));
  worker.unref();
  return {
    stop: async () => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}
