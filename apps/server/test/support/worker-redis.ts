/**
 * Vitest setup file (vitest.config.ts `setupFiles`): gives each Vitest worker a Redis logical
 * database of its own, so that test files running at the same time in different workers never
 * see each other's keys (station presence, node membership, recent answers, login throttle, the
 * Socket.IO streams adapter's stream and sessions). Files of one worker run one after the other,
 * as every file did when the suite ran in one worker.
 *
 * CIMORINGS_TEST_REDIS (a URL, or any other value for the local default) is rewritten, before
 * the test file is loaded, to the URL of database VITEST_POOL_ID (1 to maxWorkers); a URL that
 * names a database already is left alone. Pub/sub channels ignore the database number: the
 * server's node channels are named after node ids, unique per test run, and the streams
 * adapter's ephemeral channel carries only `access_changed`, on which a node rechecks its own
 * sockets against its own database (the same rights again), so nothing crosses between files.
 */
const value = process.env.CIMORINGS_TEST_REDIS;
const pool = Number(process.env.VITEST_POOL_ID);
if (value && Number.isInteger(pool) && pool > 0) {
  const url = new URL(/^rediss?:\/\//.test(value) ? value : 'redis://127.0.0.1:6379');
  if (url.pathname === '' || url.pathname === '/') {
    url.pathname = `/${((pool - 1) % 15) + 1}`; // Redis has databases 0 to 15 by default
    process.env.CIMORINGS_TEST_REDIS = url.toString();
  }
}
