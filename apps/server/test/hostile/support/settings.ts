import type { Parameters as FcParameters } from 'fast-check';

/**
 * The seed of every property of the hostile suite: fixed by default so that CI runs the same
 * cases each time, and replayable with `HOSTILE_SEED=<seed printed by a failure>`.
 * `HOSTILE_RUNS_FACTOR` scales the number of cases (e.g. 10 for a long local hunt).
 */
export const HOSTILE_SEED = integerFromEnv('HOSTILE_SEED', 20_261_130);
const RUNS_FACTOR = integerFromEnv('HOSTILE_RUNS_FACTOR', 1);

function integerFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not ${text}`);
  return value;
}

/** fast-check parameters: the suite's seed, `runs` cases (times the factor), stop at the first failure. */
export function fuzzParameters<T>(runs: number): FcParameters<T> {
  return { seed: HOSTILE_SEED, numRuns: runs * RUNS_FACTOR, endOnFailure: true };
}
