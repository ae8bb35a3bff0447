// Takes a backup of the SQLite file argv[2] into argv[3] the moment a line arrives on standard
// input. Starting a process under tsx takes a second, and the server checkpoints its WAL into
// the database file every second: a test that wants the backup to begin right after it noted
// what was acknowledged (so that a copy missing the WAL shows) starts this early and signals it.
import { backupSqlite } from '../../src/db/backup.js';

const [source, out] = process.argv.slice(2);
if (!source || !out) throw new Error('usage: backup-on-signal SOURCE OUT');
process.stdin.once('data', () => {
  const result = backupSqlite(source, out, { force: false });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
});
process.stdout.write('ready\n');
