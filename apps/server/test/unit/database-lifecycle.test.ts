import { describe, expect, it } from 'vitest';
import { DatabaseLifecycle } from '../../src/db/lifecycle.js';

const quiet = { warn: () => {} };

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

describe('database start-up', () => {
  it('retries while the database is unreachable, then becomes ready', async () => {
    const lifecycle = new DatabaseLifecycle(quiet, { firstMs: 1, maxMs: 4 });
    let attempts = 0;
    const result = lifecycle.start(async () => {
      attempts += 1;
      if (attempts < 3) throw refused();
      return 'done';
    });
    expect(lifecycle.isReady()).toBe(false);
    await expect(result).resolves.toBe('done');
    expect(attempts).toBe(3);
    expect(lifecycle.isReady()).toBe(true);
  });

  it('gives up at once on an error that retrying cannot fix', async () => {
    const lifecycle = new DatabaseLifecycle(quiet, { firstMs: 1, maxMs: 4 });
    await expect(
      lifecycle.start(async () => {
        throw new Error('syntax error at or near "tabel"');
      }),
    ).rejects.toThrow('syntax error');
    expect(lifecycle.isReady()).toBe(false);
  });

  it('stops retrying when stopped', async () => {
    const lifecycle = new DatabaseLifecycle(quiet, { firstMs: 10_000, maxMs: 10_000 });
    const result = lifecycle.start(async () => {
      throw refused();
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    lifecycle.stop();
    await expect(result).rejects.toThrow('stopped');
  });
});
