import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { pino } from 'pino';
import { announceAdminPassword } from './admin-password-notice.js';
import { buildApp } from './app.js';
import { LISTEN_BACKLOG } from './http/server.js';
import { ConfigError, loadConfig } from './config.js';
import { configHelp } from './config/describe.js';

/** Paths that never reach the logs: credentials and tokens. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
];

/**
 * How long a graceful shutdown may take before the process exits anyway: within the 30 s of
 * CONTRACT section 6, and longer than its own steps (stations 10 s, connections 5 s, writes).
 */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  if (process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h')) {
    process.stdout.write(configHelp());
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const logger = pino({
    level: config.logLevel,
    base: { pid: process.pid, hostname: hostname(), nodeId: config.nodeId },
    redact: { paths: REDACT, censor: '[redacted]' },
  });
  // Decided deliberately (issue 10, item 1): a rejected promise nobody awaited belongs to one
  // message, request or timer tick whose caller is gone. The state it touched lives in the
  // database, in transactions, so the process keeps serving every other station and client:
  // log it loudly (each one is a bug to fix) and carry on. An uncaught exception is different:
  // it unwound a synchronous stack halfway, possibly through code that was changing in-memory
  // state (presence, buffers, timers), so that state may be corrupt. Log it as fatal and exit
  // non-zero for the supervisor to restart a clean process; acknowledged data is already stored.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the process keeps running)');
  });
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, 'uncaught exception: exiting, state may be inconsistent');
    process.exit(70);
  });
  const { server, databaseReady } = await buildApp(config, {
    logger,
    dashboardRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
    announceAdminPassword: (password) =>
      announceAdminPassword(password, { file: config.adminPasswordFile, stderr: process.stderr, logger }),
  });
  databaseReady.catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    logger.fatal({ err: error }, `cannot start: ${reason}`);
    process.stderr.write(`CIMORINGS cannot start: ${reason}\n`);
    void server.close().finally(() => process.exit(1));
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close().then(
      () => {
        logger.info('stopped: connections closed, acknowledged writes stored, left the cluster');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `CIMORINGS failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
