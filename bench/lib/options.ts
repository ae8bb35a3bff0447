import { parseArgs } from 'node:util';
import { FLEET_PROTOCOLS, type FleetProtocol } from '../load/messages.js';
import { sizesOf, type Mode, type ScenarioSizes } from './sizes.js';

export type ScenarioName = 'ingest' | 'fanout' | 'capacity' | 'history' | 'failover';

const SCENARIOS: ScenarioName[] = ['ingest', 'fanout', 'capacity', 'history', 'failover'];
/** What a run measures unless `--scenarios` says: one node, or a cluster (`--nodes`). */
const DEFAULT_SCENARIOS = { single: 'ingest,fanout,capacity,history', cluster: 'ingest,capacity,failover' };
/** The most nodes a run starts (all on this machine). */
export const MAX_NODES = 8;

export interface BenchOptions extends ScenarioSizes {
  mode: Mode;
  db: 'sqlite' | 'postgres';
  postgresUrl: string;
  /**
   * Server processes: 1, or several on PostgreSQL and Redis behind HAProxy (deploy/haproxy.cfg),
   * which the ingest, capacity and fan-out scenarios then reach through HAProxy.
   */
  nodes: number;
  /** The Redis the nodes of a cluster share. */
  redisUrl: string;
  /** Where `<date>.json` and `<date>.md` go. */
  outDir: string;
  /** Run the server under `--cpu-prof` in the ingest scenario and summarize the profile. */
  profile: boolean;
  /** Node.js options of every server process (not the floor's), e.g. `--trace-gc`. */
  serverNodeArgs: string[];
  scenarios: ScenarioName[];
  /** Report file name without extension; default the start time. */
  name: string | undefined;
  /** Longest wait for a quiet machine before each measured target, ms. */
  quietWaitMs: number;
  /** Niceness of the server and load processes (negative needs root). */
  nice: number;
  /**
   * The fleets the ingest and capacity scenarios run with, each reported beside the others:
   * `1.6`, `2.0.1`, or `mixed` (half of each). The first one is also the one the budget reads.
   */
  protocols: FleetProtocol[];
  /** How many times the fleets run, in turn, the order reversed every other round (--rounds). */
  rounds: number;
}

/** More rounds than this would take hours at full size. */
const MAX_ROUNDS = 9;

export const USAGE = `Usage: npm run bench -- [--quick | --smoke] [--db sqlite|postgres] [--profile]
       [--scenarios ingest,fanout,capacity,history] [--out DIR] [--name NAME] [--postgres-url URL]
       [--quiet-wait SECONDS] [--nice N] [--protocol 1.6,2.0.1,mixed [--rounds N]] [--history-samples N]
       [--storm-rate N] [--storm-stations N] [--nodes N [--redis-url URL]] [--server-node-args=ARGS]

  --quick         scaled down, about two minutes
  --smoke         tiny, a few seconds (what the harness test runs)
  --db            sqlite (default, in a temporary folder) or postgres (a fresh database, dropped after)
  --postgres-url  PostgreSQL server for --db postgres (default postgres://root@127.0.0.1:5432/postgres)
  --profile       run the server under --cpu-prof in the ingest and fan-out scenarios; the report
                  lists the hot functions of each
  --out           report folder (default bench/results)
  --name          report file name without extension (default the start time)
  --quiet-wait    before each measured server, wait up to this many seconds for other processes
                  to leave the machine quiet (default 120; 0 never waits)
  --protocol      the OCPP versions of the ingest and capacity fleets, comma separated, each run
                  against the server and a floor answering that version and reported side by side:
                  1.6 (default), 2.0.1, mixed (half 1.6, half 2.0.1); the first is the budget's
  --rounds        run the fleets of --protocol this many times (default 1), the order reversed every
                  other round (1.6, 2.0.1, mixed, then mixed, 2.0.1, 1.6) so that a drift of the
                  machine falls on every fleet alike; the side-by-side verdict takes the medians
  --nice=N        niceness of the server and load processes, e.g. --nice=-10 to favour them over other
                  work on a shared machine (negative values need root; default 0)
  --history-samples  samples the history scenario stores (default 5,000,000; --quick 300,000;
                  --smoke 6,000); the issue's figure is 50,000,000
  --storm-rate    the capacity scenario's boot storm open loop: N stations a second connect without
                  waiting for each other, each trying once; the report adds upgrades refused and
                  timed out, connect p50/p99 and /api/ready probes during the storm (the issue's: 1000)
  --storm-stations  stations in the boot storm (default 20,000; --quick 5,000)
  --nodes         server processes (default 1; at most ${MAX_NODES}): with 2 or more, a cluster on
                  PostgreSQL (--db postgres) and Redis behind HAProxy (the haproxy command must be
                  installed), which the scenarios reach through HAProxy; the default scenarios are
                  then ingest,capacity,failover. failover: a fleet (2,000 stations; --quick 500)
                  charging through HAProxy, one node killed with SIGKILL: the time until every
                  station is connected and accepted again, messages lost and duplicated
  --redis-url     Redis for --nodes (default redis://127.0.0.1:6379)
  --server-node-args=ARGS  Node.js options for our server processes, space separated, each
                  starting with -- and given after "=" (parseArgs takes no value that starts with a
                  dash otherwise), e.g. --server-node-args="--trace-gc --max-semi-space-size=8"
                  (trace lines go to the server's log in the logs folder); the floor runs without them
`;

/** `--server-node-args`: Node.js options only, so that nothing else rides in with them. */
function serverNodeArgs(text: string): string[] {
  const args = text.split(/\s+/).filter((arg) => arg !== '');
  const wrong = args.find(
    (arg) => !/^--[a-z][a-z0-9-]*(=[^\s]*)?$/.test(arg) || arg.startsWith('--cpu-prof'),
  );
  if (wrong !== undefined)
    throw new UsageError(
      `--server-node-args takes Node.js options like --trace-gc (not ${JSON.stringify(wrong)}; --profile sets --cpu-prof)`,
    );
  return args;
}

export function parseOptions(argv: string[], defaultOutDir: string): BenchOptions {
  try {
    return readOptions(argv, defaultOutDir);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((error as Error).message);
    throw error;
  }
}

function readOptions(argv: string[], defaultOutDir: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      db: { type: 'string', default: 'sqlite' },
      'postgres-url': { type: 'string', default: 'postgres://root@127.0.0.1:5432/postgres' },
      profile: { type: 'boolean', default: false },
      scenarios: { type: 'string' },
      nodes: { type: 'string', default: '1' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      'history-samples': { type: 'string' },
      out: { type: 'string', default: defaultOutDir },
      name: { type: 'string' },
      'quiet-wait': { type: 'string', default: '120' },
      nice: { type: 'string', default: '0' },
      protocol: { type: 'string', default: '1.6' },
      rounds: { type: 'string', default: '1' },
      'storm-rate': { type: 'string' },
      'storm-stations': { type: 'string' },
      'server-node-args': { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (!Number.isInteger(Number(values.nice))) throw new UsageError('--nice must be an integer');
  if (values.db !== 'sqlite' && values.db !== 'postgres')
    throw new UsageError('--db must be sqlite or postgres');
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES)
    throw new UsageError(`--nodes must be a whole number from 1 to ${MAX_NODES}`);
  if (nodes > 1 && values.db !== 'postgres')
    throw new UsageError('--nodes above 1 needs --db postgres (nodes share PostgreSQL, never SQLite)');
  const scenarios = (values.scenarios ?? DEFAULT_SCENARIOS[nodes > 1 ? 'cluster' : 'single'])
    .split(',')
    .map((s) => s.trim());
  for (const scenario of scenarios) {
    if (!SCENARIOS.includes(scenario as ScenarioName)) throw new UsageError(`unknown scenario ${scenario}`);
  }
  if (scenarios.includes('failover') && nodes < 2)
    throw new UsageError('the failover scenario needs --nodes 2 or more (one is killed)');
  const protocols = values.protocol.split(',').map((p) => p.trim());
  const unknown = protocols.find((p) => !FLEET_PROTOCOLS.includes(p as FleetProtocol));
  if (unknown !== undefined || protocols.length === 0)
    throw new UsageError(`--protocol takes ${FLEET_PROTOCOLS.join(', ')} (comma separated), not ${unknown}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS)
    throw new UsageError(`--rounds must be a whole number from 1 to ${MAX_ROUNDS}`);
  const mode: Mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const sizes = sizesOf(mode);
  if (values['history-samples'] !== undefined) {
    const samples = Number(values['history-samples']);
    if (!Number.isInteger(samples) || samples < 60)
      throw new UsageError('--history-samples must be a whole number of at least 60');
    sizes.history.samples = samples;
  }
  for (const [flag, value] of [
    ['storm-rate', values['storm-rate']],
    ['storm-stations', values['storm-stations']],
  ] as const) {
    if (value === undefined) continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new UsageError(`--${flag} must be a whole number`);
    if (flag === 'storm-rate') sizes.capacity.openLoopRate = number;
    else sizes.capacity.stations = number;
  }
  return {
    mode,
    db: values.db,
    postgresUrl: values['postgres-url'],
    nodes,
    redisUrl: values['redis-url'],
    outDir: values.out,
    profile: values.profile,
    serverNodeArgs: serverNodeArgs(values['server-node-args']),
    scenarios: scenarios as ScenarioName[],
    name: values.name,
    quietWaitMs: mode === 'smoke' ? 0 : Number(values['quiet-wait']) * 1000,
    nice: Number(values.nice),
    protocols: [...new Set(protocols)] as FleetProtocol[],
    rounds,
    ...sizes,
  };
}

export class UsageError extends Error {}
