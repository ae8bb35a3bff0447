import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/node-cluster.js';
import { TSX } from '../support/server-process.js';

const SCRIPT = resolve(import.meta.dirname, '../../../../scripts/cluster.ts');

/** Runs `npm run cluster`'s script with only `env` (and a PATH holding Node.js alone). */
async function runCluster(args: string[], env: Record<string, string>) {
  return promisify(execFile)(TSX, [SCRIPT, ...args], {
    env: { PATH: dirname(process.execPath), HOME: process.env.HOME ?? '', ...env },
    timeout: 60_000,
  }).then(
    (done) => ({ code: 0, stderr: done.stderr }),
    (failed: { code: number; stderr: string }) => ({ code: failed.code, stderr: failed.stderr }),
  );
}

describe('npm run cluster', () => {
  it('names what is missing (haproxy, PostgreSQL, Redis), one line each, and starts nothing', async () => {
    const [postgres, redis] = [await freePort(), await freePort()];
    const result = await runCluster(['--nodes', '2'], {
      DATABASE_URL: `postgres://someone:secret@127.0.0.1:${postgres}/cimorings`,
      REDIS_URL: `redis://127.0.0.1:${redis}`,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^cluster: haproxy: not installed \(Debian, Ubuntu: apt-get install haproxy\)$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^cluster: PostgreSQL: not reachable at postgres://someone:\\*\\*\\*@127\\.0\\.0\\.1:${postgres}/`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^cluster: Redis: not reachable at redis://127\\.0\\.0\\.1:${redis}`),
    );
    expect(result.stderr).not.toContain('secret');
  }, 60_000);

  it('refuses a number of nodes it cannot run, in one line', async () => {
    for (const nodes of ['0', '17', 'three']) {
      const result = await runCluster(['--nodes', nodes], {});
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe('cluster: --nodes: a whole number from 1 to 16');
    }
  }, 60_000);
});
