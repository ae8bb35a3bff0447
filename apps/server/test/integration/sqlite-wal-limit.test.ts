import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../src/db/sqlite-busy.js';
import { startWalCheckpointer } from '../../src/db/wal-checkpointer.js';

const MB = 2 ** 20;
const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A writer as the server's (WAL, no checkpoint of its own, a short busy timeout whose failures
 * the server retries) committing steadily, a commit about every millisecond (a server under
 * sustained ingest commits a group about that often), until it has written `bytes` of rows,
 * beside the checkpointer worker (every 50 ms). Answers the WAL file's largest size in the
 * second half of the writing, and the commits that found the database busy.
 */
async function writeSteadily(limitBytes: number, bytes: number) {
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
  const checkpointer = startWalCheckpointer(path, 50, (message) => errors.push(message), limitBytes);
  const insert = db.prepare('INSERT INTO samples (value) VALUES (?)');
  const commit = db.transaction(() => {
    for (let n = 0; n < 20; n++) insert.run('x'.repeat(200));
  });
  let written = 0;
  let largest = 0;
  let busy = 0;
  try {
    while (written < bytes) {
      try {
        commit();
        written += 20 * 200;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        busy++;
      }
      if (written > bytes / 2) largest = Math.max(largest, statSync(`${path}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await checkpointer.stop();
    db.close();
  }
  expect(errors).toEqual([]);
  return { largest, busy };
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
});
