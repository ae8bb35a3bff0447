import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../src/db/sqlite-busy.js';
import { startWalCheckpointer, WAL_LEFT_BYTES } from '../../src/db/wal-checkpointer.js';

const MB = 2 ** 20;
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A writer as the server's (WAL, no checkpoint of its own, a short busy timeout whose failures
 * the server retries) committing steadily, a commit about every millisecond (a server under
 * sustained ingest commits a group about that often), until it has written `bytes` of rows,
 * beside the checkpointer worker (every `intervalMs`). With `reader`, another connection holds a
 * read snapshot all along, as a backup does. Answers the WAL file's largest size in the second
 * half of the writing, and the longest time the writer found the database busy without a break.
 */
async function writeSteadily(
  limitBytes: number,
  bytes: number,
  { intervalMs = 50, leftBytes = WAL_LEFT_BYTES, reader = false } = {},
) {
  const folder = mkdtempSync(join(tmpdir(), 'cimorings-wal-'));
  folders.push(folder);
  const path = join(folder, 'wal.db');
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  db.exec('CREATE TABLE samples (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
  const errors: string[] = [];
  const checkpointer = startWalCheckpointer(
    path,
    intervalMs,
    (message) => errors.push(message),
    limitBytes,
    leftBytes,
  );
  const snapshot = reader ? new SQLite(path) : undefined;
  snapshot?.exec('BEGIN');
  snapshot?.prepare('SELECT count(*) FROM samples').get();
  const insert = db.prepare('INSERT INTO samples (value) VALUES (?)');
  const commit = db.transaction(() => {
    for (let n = 0; n < 20; n++) insert.run('x'.repeat(200));
  });
  let written = 0;
  let largest = 0;
  let busySince: number | undefined;
  let longestBusyMs = 0;
  try {
    // Within 20 s at the most, so that writes held for good fail the assertions, not the timeout.
    const began = performance.now();
    while (written < bytes && performance.now() - began < 20_000) {
      try {
        commit();
        written += 20 * 200;
        busySince = undefined;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        busySince ??= performance.now();
        longestBusyMs = Math.max(longestBusyMs, performance.now() - busySince);
      }
      if (written > bytes / 2) largest = Math.max(largest, statSync(`${path}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await checkpointer.stop();
    snapshot?.exec('COMMIT');
    snapshot?.close();
    db.close();
  }
  expect(errors).toEqual([]);
  return { largest, longestBusyMs };
}

describe('the SQLite WAL under steady writes', () => {
  it('stays near its limit: past it the checkpointer empties it instead of only copying it', async () => {
    const { largest } = await writeSteadily(MB, 16 * MB);
    // The limit, plus what a few checkpoint intervals of commits add before the file is emptied.
    expect(largest).toBeLessThan(8 * MB);
  }, 60_000);

  it('grows with everything written when only passive checkpoints are taken (what the limit prevents)', async () => {
    const { largest } = await writeSteadily(Number.MAX_SAFE_INTEGER, 16 * MB);
    // More than the rows themselves: every commit adds whole pages, and none is ever overwritten.
    expect(largest).toBeGreaterThan(16 * MB);
  }, 60_000);

  it('never holds the writes for long while a reader keeps an old snapshot (a backup)', async () => {
    // Everything left to copy is allowed, so that the emptying is tried at every pass: each try
    // takes the write lock and waits for the reader, which never leaves.
    const { longestBusyMs } = await writeSteadily(MB, 4 * MB, {
      intervalMs: 200,
      leftBytes: Number.MAX_SAFE_INTEGER,
      reader: true,
    });
    expect(longestBusyMs).toBeLessThan(400);
  }, 60_000);
});
