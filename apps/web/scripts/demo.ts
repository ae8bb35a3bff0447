/**
 * `npm run demo`: the server with a demo database, an id tag for the simulator, a station-scoped
 * user, and simulated charge points running charging sessions, so that a new user sees a live
 * system within a minute. Ctrl+C stops everything.
 *
 * Options: --port 3000, --stations 5, --meter-interval 5s, --verbose (the simulator's lines).
 * Environment: DATABASE_URL (default sqlite:./data/demo.db), ADMIN_PASSWORD (default below).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { restCall, waitForReady } from './rest-call';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WEB = fileURLToPath(new URL('../', import.meta.url));
const DEMO_ADMIN_PASSWORD = 'cimorings-demo';
const SCOPED_USER = { username: 'teknisi', password: 'teknisi-demo' };
const SIM_TAG = 'SIMTAG';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '3000' },
    stations: { type: 'string', default: '5' },
    'meter-interval': { type: 'string', default: '5s' },
    verbose: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const stations = Number(values.stations);
const base = `http://localhost:${port}`;
const adminPassword = process.env.ADMIN_PASSWORD ?? DEMO_ADMIN_PASSWORD;
const say = (line: string) => void process.stdout.write(`[demo] ${line}\n`);
const children: ChildProcess[] = [];

let stopping = false;

/**
 * Stops the simulator first (its running sessions end with a StopTransaction the server still
 * receives), then the server, and exits once both are gone or after 12 s.
 */
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  setTimeout(() => process.exit(code), 12_000).unref();
  const stopOne = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  void (async () => {
    for (const child of [...children].reverse()) await stopOne(child);
    process.exit(code);
  })();
}

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const answer = await restCall(base, method, path, token, body);
  return { status: answer.status, body: (answer.body ?? {}) as Record<string, unknown> };
}

async function main(): Promise<void> {
  if (!existsSync(`${WEB}dist/index.html`)) {
    say('building the dashboard…');
    const build = spawnSync('npm', ['run', 'build', '-w', '@cimorings/web'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the dashboard build failed');
  }

  say(`starting the server on port ${port}…`);
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group: a Ctrl+C reaches only this script, which stops the children in order.
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite:./data/demo.db',
      ADMIN_PASSWORD: adminPassword,
      OCPP_UNKNOWN_STATIONS: 'accept',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  });
  children.push(server);
  server.on('exit', (code) => {
    if (stopping) return;
    say(`the server stopped (code ${code})`);
    stopAll(code ?? 1);
  });
  const exited = () => (server.exitCode === null ? null : `the server exited with code ${server.exitCode}`);
  if (!(await waitForReady(base, exited, 60_000, 300)))
    throw new Error(`${base}/api/ready did not answer 200 within a minute`);

  const login = await call('POST', '/api/auth/login', null, { username: 'admin', password: adminPassword });
  if (login.status !== 200) {
    throw new Error(
      `cannot log in as admin (${login.status}): the demo database has another admin password. ` +
        'Set ADMIN_PASSWORD to it, or delete data/demo.db to start afresh.',
    );
  }
  const token = String(login.body.token);
  const tag = await call('POST', '/api/id-tags', token, {
    idTag: SIM_TAG,
    status: 'Accepted',
    allowConcurrent: true,
  });
  if (tag.status !== 201 && tag.status !== 409)
    throw new Error(`cannot create id tag ${SIM_TAG}: ${tag.status}`);
  const user = await call('POST', '/api/users', token, {
    ...SCOPED_USER,
    roles: ['operator'],
    allowedStations: ['SIM001', 'SIM002'],
  });
  if (user.status !== 201 && user.status !== 409)
    say(`note: the scoped demo user was not created (${user.status})`);

  say(`starting ${stations} simulated charge points…`);
  const simulator = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/simulator/src/cli.ts',
      '--stations',
      String(stations),
      '--sessions',
      // Odd stations speak OCPP 1.6, even ones 2.0.1: the mixed fleet most operators run.
      '--protocol',
      'mixed',
      '--meter-interval',
      values['meter-interval'],
      '--id-tag',
      SIM_TAG,
      '--url',
      `ws://localhost:${port}/ocpp`,
    ],
    { cwd: ROOT, stdio: ['ignore', values.verbose ? 'inherit' : 'ignore', 'inherit'], detached: true },
  );
  children.push(simulator);

  process.stdout.write(
    [
      '',
      '  CIMORINGS demo is running',
      `  dashboard:   ${base}/`,
      `  admin:       admin / ${adminPassword}`,
      `  scoped user: ${SCOPED_USER.username} / ${SCOPED_USER.password} (sees SIM001 and SIM002 only)`,
      `  API docs:    ${base}/api/docs`,
      `  ${stations} simulated charge points (SIM001…; odd ones OCPP 1.6, even ones 2.0.1) start and stop sessions on their own.`,
      '  Ctrl+C stops everything.',
      '',
      '',
    ].join('\n'),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    say('stopping…');
    stopAll(0);
  });
}

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  stopAll(1);
});
