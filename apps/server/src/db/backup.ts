import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-busy.js';

/** A backup that was not taken, with the one line that says why and what to do instead. */
export class BackupRefused extends Error {}

/** What a finished backup wrote. */
export interface BackupResult {
  /** Absolute path of the backup file. */
  readonly file: string;
  readonly bytes: number;
  /** How long the copy and its integrity check took, in ms. */
  readonly durationMs: number;
}

/**
 * Copies the embedded SQLite database at `source` to `out` while the server keeps writing to it.
 *
 * `VACUUM INTO` reads the database inside one read transaction: in WAL mode that is a snapshot
 * of every transaction committed when it began (so every sample the server acknowledged before
 * the backup started), and it never blocks the server's writer, nor is it restarted by the
 * server's commits as the page-by-page backup API would be. The copy goes to a temporary file
 * beside `out`, must pass `PRAGMA integrity_check`, and only then takes the name `out`, so a
 * file at `out` is always a complete backup. An existing `out` is replaced only with `force`.
 */
export function backupSqlite(source: string, out: string, options: { force: boolean }): BackupResult {
  const started = Date.now();
  const file = resolve(out);
  if (source === ':memory:')
    throw new BackupRefused('the database is in memory (sqlite::memory:): nothing to back up');
  if (!existsSync(source)) throw new BackupRefused(`no database at ${resolve(source)}: nothing to back up`);
  if (file === resolve(source)) throw new BackupRefused(`--out ${out} is the database itself`);
  if (!existsSync(dirname(file))) throw new BackupRefused(`the folder ${dirname(file)} does not exist`);
  if (existsSync(file) && !options.force) {
    throw new BackupRefused(`${file} already exists; choose another --out or add --force to replace it`);
  }

  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  try {
    const database = new SQLite(source, { fileMustExist: true });
    try {
      database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      database.prepare('VACUUM INTO ?').run(partial);
    } finally {
      database.close();
    }
    checkIntegrity(partial);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file, bytes: statSync(file).size, durationMs: Date.now() - started };
}

/** Throws unless SQLite finds the database file at `path` whole. */
function checkIntegrity(path: string): void {
  const copy = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const problems = copy.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const report = problems.map((row) => row.integrity_check);
    if (report.join() !== 'ok')
      throw new Error(`the backup failed its integrity check: ${report.join('; ')}`);
  } finally {
    copy.close();
  }
}
