import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { SHARED_DIALECTS } from './databases.js';

/**
 * A describe block of tests on node processes sharing PostgreSQL and Redis: declared when both
 * are given (CIMORINGS_TEST_POSTGRES and CIMORINGS_TEST_REDIS), left out otherwise. `body` gets
 * the ids of the nodes, each of `nodeNames` with a suffix unique to this run, and that suffix
 * (`run`), so that runs sharing Redis keep their nodes, stations and tags apart.
 */
export function describeCluster<const Names extends readonly string[]>(
  title: string,
  nodeNames: Names,
  body: (ids: { run: string; nodeIds: { -readonly [K in keyof Names]: string } }) => void,
): void {
  if (!process.env.CIMORINGS_TEST_REDIS || SHARED_DIALECTS.length === 0) return;
  describe(title, () => {
    const run = randomBytes(3).toString('hex');
    body({
      run,
      nodeIds: nodeNames.map((name) => `${name}-${run}`) as { -readonly [K in keyof Names]: string },
    });
  });
}
