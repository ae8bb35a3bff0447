import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configHelp } from '../../src/config/describe.js';

const SERVER_DIR = resolve(import.meta.dirname, '../..');
const TSX = resolve(SERVER_DIR, '../../node_modules/.bin/tsx');
const MAIN = resolve(SERVER_DIR, 'src/main.ts');

describe('the server process with --help', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-help-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the configuration and exits 0 without reading it, listening or opening the database', () => {
    const run = spawnSync(TSX, [MAIN, '--help'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      // A configuration that would stop start-up, and a database the server would create.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: 'not-a-port',
        DATABASE_URL: `sqlite:${join(dir, 'data', 'cimorings.db')}`,
      },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(configHelp());
    expect(readdirSync(dir)).toEqual([]);
  });
});
