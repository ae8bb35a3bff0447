import { SimulatedChargePoint } from './charge-point.js';
import { type CliOptions, parseCliArgs, stationIds, USAGE, UsageError } from './cli/args.js';
import { printEvents, stamped } from './cli/output.js';
import { printV2Events } from './cli/output-v2.js';
import { RandomSessions } from './scenarios/random-sessions.js';
import { createSimulatedStation } from './station.js';

/** How long stopping may take before the process gives up waiting. */
const STOP_TIMEOUT_MS = 5000;

const out = (line: string): void => void process.stdout.write(`${stamped(line)}\n`);
const err = (line: string): void => void process.stderr.write(`${stamped(line)}\n`);

/** Runs the simulated network until SIGINT or SIGTERM. */
function run(options: CliOptions): void {
  const stations = stationIds(options.prefix, options.stations).map((id, index) =>
    createSimulatedStation({
      protocol: options.protocol === 'mixed' ? (index % 2 === 0 ? '1.6' : '2.0.1') : options.protocol,
      id,
      url: options.url,
      tls: options.tls,
      ...(options.password === undefined ? {} : { password: options.password }),
      connectors: options.connectors,
      idTag: options.idTag,
      meterIntervalMs: options.meterIntervalMs,
      powerKw: options.powerKw,
      // Events already say what happens; the log adds only what went wrong.
      log: (level, message) => (level === 'warn' || level === 'error' ? err(message) : undefined),
    }),
  );
  // Drivers arrive every 1 to 6 meter intervals and charge for 3 to 30, so a demo with a short
  // --meter-interval moves as fast as its meter values do.
  const drivers = options.sessions
    ? stations.map(
        (cp) =>
          new RandomSessions(cp, {
            idTags: [options.idTag],
            idleMs: [options.meterIntervalMs, options.meterIntervalMs * 6],
            chargeMs: [options.meterIntervalMs * 3, options.meterIntervalMs * 30],
          }),
      )
    : [];

  out(
    `${stations.length} station(s) x ${options.connectors} connector(s), OCPP ${options.protocol} -> ${options.url}`,
  );
  for (const cp of stations) {
    if (cp instanceof SimulatedChargePoint) printEvents(cp, out);
    else printV2Events(cp, out);
    void cp.start();
  }
  for (const driver of drivers) driver.start();

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      err(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    out(`${signal}: stopping ${stations.length} charge point(s)`);
    for (const driver of drivers) driver.stop();
    const timeout = setTimeout(() => {
      err(`charge points did not stop within ${STOP_TIMEOUT_MS} ms`);
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timeout.unref();
    void Promise.allSettled(stations.map((cp) => cp.stop({ reason: 'Local' }))).then(() => {
      clearTimeout(timeout);
      out('stopped');
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

try {
  const options = parseCliArgs(process.argv.slice(2));
  if (options) run(options);
  else process.stdout.write(USAGE);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${USAGE}`);
  process.exitCode = 2;
}
