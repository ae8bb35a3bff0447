import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';

/** The import route's body limit (4 MiB). */
const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * The longest the event loop may stay blocked during an import. The server's own work is cut
 * into slices of a few ms; this bound leaves room for a loaded 2-core machine (the process may
 * wait for a core) and GC pauses, and is far below the seconds a quadratic (9 s for 20,000 rows)
 * or unsliced (several seconds at 4 MiB) import takes.
 */
const MAX_BLOCK_MS = 300;

/** `count` rows, each the parent of the one before: row i names row i + 1, the last names `root`. */
function chain(prefix: string, count: number, root: string): string {
  const lines = ['idTag,status,expiryDate,parentIdTag'];
  for (let i = 0; i < count; i++) lines.push(`${prefix}${i},,,${i + 1 < count ? `${prefix}${i + 1}` : root}`);
  return lines.join('\n');
}

/** Runs `work` and answers the longest event-loop stall seen meanwhile, in ms. */
async function longestStall(work: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

describe.each(DIALECTS)('id tag imports of operator-sized files on %s', (dialect) => {
  const app = useTestApp(dialect);

  const importCsv = (csv: string) =>
    app.request('POST', '/api/id-tags/import', {
      token: app.admin,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });

  it('rejects a 20,000-row chain whose root is unknown without blocking the event loop', async () => {
    let response: Awaited<ReturnType<typeof importCsv>> | undefined;
    const stall = await longestStall(async () => {
      response = await importCsv(chain('C', 20_000, 'NO-SUCH-ROOT'));
    });
    expect(response?.status).toBe(200);
    expect(response?.body.created).toBe(0);
    expect(response?.body.rejectedCount).toBe(20_000);
    expect(response?.body.rejected).toHaveLength(1000);
    expect(response?.body.rejected[0]).toEqual({
      line: 2,
      idTag: 'C0',
      reason: 'parentIdTag C1 is not a known id tag',
    });
    expect(response?.body.rejected.at(-1)).toEqual({
      line: 1001,
      idTag: 'C999',
      reason: 'parentIdTag C1000 is not a known id tag',
    });
    expect(stall, 'longest event-loop stall, ms').toBeLessThan(MAX_BLOCK_MS);
  }, 120_000);

  it('creates a 20,000-row chain hanging from a stored tag without blocking the event loop', async () => {
    expect(
      (await app.request('POST', '/api/id-tags', { token: app.admin, body: { idTag: 'ROOT' } })).status,
    ).toBe(201);
    let response: Awaited<ReturnType<typeof importCsv>> | undefined;
    const stall = await longestStall(async () => {
      response = await importCsv(chain('D', 20_000, 'ROOT'));
    });
    expect(response?.body).toEqual({
      created: 20_000,
      updated: 0,
      unchanged: 0,
      rejected: [],
      rejectedCount: 0,
    });
    expect(stall, 'longest event-loop stall, ms').toBeLessThan(MAX_BLOCK_MS);
    const last = await app.request('GET', '/api/id-tags/D19999', { token: app.admin });
    expect(last.body).toMatchObject({ idTag: 'D19999', parentIdTag: 'ROOT' });
  }, 120_000);

  it('imports a file at the 4 MiB limit in slices: the event loop is never blocked for long', async () => {
    // As many chain rows as fit under the limit, the root unknown: every row is rejected in
    // cascade, the worst case for the parent resolution and for the size of the report.
    let count = Math.floor(BODY_LIMIT / 'E000000,,,E000000\n'.length);
    let csv = chain('E', count, 'NO-SUCH-ROOT');
    while (Buffer.byteLength(csv) > BODY_LIMIT - 1024) csv = chain('E', (count -= 1000), 'NO-SUCH-ROOT');
    let response: Awaited<ReturnType<typeof importCsv>> | undefined;
    let healthChecks = 0;
    let importing = true;
    const stall = await longestStall(async () => {
      const probe = (async () => {
        while (importing) {
          const health = await app.request('GET', '/api/health');
          expect(health.status).toBe(200);
          healthChecks++;
        }
      })();
      response = await importCsv(csv);
      importing = false;
      await probe;
    });
    expect(response?.status).toBe(200);
    expect(response?.body.rejectedCount).toBe(count);
    expect(healthChecks).toBeGreaterThan(1);
    expect(stall, 'longest event-loop stall, ms').toBeLessThan(MAX_BLOCK_MS);
  }, 300_000);
});
