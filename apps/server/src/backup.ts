import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { BackupRefused, backupSqlite } from './db/backup.js';

/**
 * `npm run backup -- --out FILE [--force]`: an online backup of the embedded SQLite database
 * named by the same configuration the server reads (environment and `.env`), safe while the
 * server runs. PostgreSQL is backed up with its own tools. Exit code 0 on success, 1 with one
 * line on standard error otherwise.
 */
const USAGE = 'usage: npm run backup -- --out FILE [--force]';

function main(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let values;
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    throw new BackupRefused(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
  }
  if (!values.out) throw new BackupRefused(`--out FILE is required; ${USAGE}`);
  const { database } = loadConfig(process.env);
  if (database.kind === 'postgres') {
    throw new BackupRefused(
      'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=FILE "$DATABASE_URL" (see docs/deployment.md)',
    );
  }
  // npm runs this in apps/server; a relative --out means where the operator typed the command.
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  const result = backupSqlite(database.path, out, { force: values.force });
  process.stdout.write(
    `backup of ${resolve(database.path)} written to ${result.file} (${result.bytes} bytes, ${result.durationMs} ms, integrity ok)\n`,
  );
}

try {
  main();
} catch (error) {
  const known = error instanceof BackupRefused || error instanceof ConfigError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`backup: ${known ? message : `failed: ${message}`}\n`);
  process.exit(1);
}
