import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOT, connectChargePoint, type TestChargePoint } from '../support/ocpp-client.js';
import { startServerProcess, TSX, waitUntilReady } from '../support/server-process.js';

const BACKUP = resolve(import.meta.dirname, '../../src/backup.ts');
const BACKUP_ON_SIGNAL = resolve(import.meta.dirname, '../support/backup-on-signal.ts');
const STATIONS = 4;
const ADMIN_PASSWORD = 'backup-admin-password';

/** Runs the backup command as `npm run backup` does, answering its exit code and output. */
async function runBackup(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = await promisify(execFile)(TSX, [BACKUP, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  }).then(
    (done) => ({ code: 0, ...done }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts a process that backs `source` up into `out` when told to (test/support/backup-on-signal.ts),
 * and resolves once it is ready; `go()` starts the backup at once and answers what it wrote.
 */
async function readyToBackUp(source: string, out: string) {
  const child = spawn(TSX, [BACKUP_ON_SIGNAL, source, out], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  expect((await lines.next()).value).toBe('ready');
  return {
    go: async () => {
      child.stdin.write('go\n');
      const result = (await lines.next()).value as string;
      expect(await exited).toBe(0);
      return JSON.parse(result) as unknown;
    },
  };
}

/** Sends one MeterValues with an energy register reading in Wh, resolving on its acknowledgement. */
async function sendReading(client: TestChargePoint, reading: number): Promise<void> {
  await client.call('MeterValues', {
    connectorId: 1,
    meterValue: [
      {
        timestamp: new Date().toISOString(),
        sampledValue: [{ value: String(reading), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
      },
    ],
  });
}

/** Sends readings 1, 2, 3... one call at a time until `stop`; records each acknowledged one. */
async function ingest(client: TestChargePoint, acknowledged: Set<number>, stop: { now: boolean }) {
  for (let reading = 1; !stop.now; reading++) {
    await sendReading(client, reading);
    acknowledged.add(reading);
  }
}

/** The register readings of each station stored in the SQLite file at `path`. */
function storedReadings(path: string): Map<string, Set<number>> {
  const database = new SQLite(path, { readonly: true });
  try {
    const rows = database
      .prepare(
        `select s.charge_point_id as station, m.value as value
         from meter_values m join stations s on s.id = m.station_id
         where m.measurand = 'Energy.Active.Import.Register'`,
      )
      .all() as { station: string; value: number }[];
    const readings = new Map<string, Set<number>>();
    for (const row of rows)
      readings.set(row.station, (readings.get(row.station) ?? new Set()).add(row.value));
    return readings;
  } finally {
    database.close();
  }
}

describe('npm run backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the live database during ingest with every acknowledged sample, and a server restores from the copy', async () => {
    const live = join(dir, 'live.db');
    const backup = join(dir, 'backup.db');
    const server = startServerProcess(dir, {
      DATABASE_URL: `sqlite:${live}`,
      ADMIN_PASSWORD,
      OCPP_UNKNOWN_STATIONS: 'accept',
    });
    const clients: TestChargePoint[] = [];
    const acknowledged = new Map<string, Set<number>>();
    const stop = { now: false };
    let loops: Promise<void>[] = [];
    try {
      const url = await server.url;
      await waitUntilReady(url);
      for (let n = 1; n <= STATIONS; n++) {
        const client = await connectChargePoint(url, `BACKUP-${n}`);
        expect(await client.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
        clients.push(client);
        acknowledged.set(`BACKUP-${n}`, new Set());
      }
      loops = clients.map((client, i) => ingest(client, acknowledged.get(`BACKUP-${i + 1}`)!, stop));
      await new Promise((r) => setTimeout(r, 1000));

      // What the server had acknowledged when the backup began must all be in it.
      const backupProcess = await readyToBackUp(live, backup);
      const before = new Map([...acknowledged].map(([station, readings]) => [station, new Set(readings)]));
      const taken = await backupProcess.go();
      expect(taken).toMatchObject({ file: backup });
      const during = [...acknowledged.values()].reduce((sum, readings) => sum + readings.size, 0);
      await new Promise((r) => setTimeout(r, 300));
      stop.now = true;
      await Promise.all(loops);

      // Ingest went on while the copy was taken: more was acknowledged than before it began.
      const beforeCount = [...before.values()].reduce((sum, readings) => sum + readings.size, 0);
      expect(beforeCount).toBeGreaterThan(STATIONS * 5);
      expect(during).toBeGreaterThan(beforeCount);

      const copy = new SQLite(backup, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      copy.close();
      const stored = storedReadings(backup);
      for (const [station, readings] of before) {
        const missing = [...readings].filter((reading) => !stored.get(station)?.has(reading));
        expect(missing, station).toEqual([]);
      }
    } finally {
      stop.now = true;
      await Promise.allSettled(loops);
      for (const client of clients) await client.close({ force: true });
      await server.stop();
    }

    // Restore: a server started on the backup file serves what it holds and takes new data.
    const restored = startServerProcess(dir, { DATABASE_URL: `sqlite:${backup}` });
    try {
      const url = await restored.url;
      await waitUntilReady(url);
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const stations = await fetch(`${url}/api/stations`, { headers: { authorization: `Bearer ${token}` } });
      expect(stations.status).toBe(200);
      const listed = JSON.stringify(await stations.json());
      for (let n = 1; n <= STATIONS; n++) expect(listed).toContain(`BACKUP-${n}`);

      const client = await connectChargePoint(url, 'BACKUP-1');
      expect(await client.call('BootNotification', BOOT)).toMatchObject({ status: 'Accepted' });
      await sendReading(client, 1_000_000);
      await client.close({ force: true });
    } finally {
      await restored.stop();
    }
    expect(storedReadings(backup).get('BACKUP-1')).toContain(1_000_000);
    // Three processes start under tsx (the server twice, the backup once): seconds each on a busy machine.
  }, 120_000);

  it('refuses with one line: no --out, an existing file without --force, a PostgreSQL database, no database', async () => {
    const database = join(dir, 'refusals.db');
    new SQLite(database).close();
    const env = { DATABASE_URL: `sqlite:${database}` };

    const noOut = await runBackup(dir, [], env);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toBe(
      'backup: --out FILE is required; usage: npm run backup -- --out FILE [--force]\n',
    );

    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'not a backup');
    const refused = await runBackup(dir, ['--out', existing], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `backup: ${existing} already exists; choose another --out or add --force to replace it\n`,
    );
    const forced = await runBackup(dir, ['--out', existing, '--force'], env);
    expect(forced.code).toBe(0);
    expect(new SQLite(existing, { readonly: true }).pragma('integrity_check', { simple: true })).toBe('ok');

    const postgres = await runBackup(dir, ['--out', join(dir, 'pg.db')], {
      DATABASE_URL: 'postgres://cimorings:secret@db.example:5432/cimorings',
    });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toMatch(/^backup: DATABASE_URL is PostgreSQL: back it up with pg_dump/);
    expect(postgres.stderr).not.toContain('secret');

    const none = await runBackup(dir, ['--out', join(dir, 'none-backup.db')], {
      DATABASE_URL: `sqlite:${join(dir, 'absent.db')}`,
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`backup: no database at ${join(dir, 'absent.db')}: nothing to back up\n`);
    expect(existsSync(join(dir, 'absent.db'))).toBe(false);
    expect(existsSync(join(dir, 'none-backup.db'))).toBe(false);
  }, 60_000);
});
