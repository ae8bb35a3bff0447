import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { announceAdminPassword } from './admin-password-notice.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Paths that never reach the logs: credentials and tokens. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
];

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const logger = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } });
  const { server, databaseReady } = await buildApp(config, {
    logger,
    dashboardRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
    announceAdminPassword: (password) =>
      announceAdminPassword(password, { file: config.adminPasswordFile, stderr: process.stderr, logger }),
  });
  databaseReady.catch(() => {
    logger.fatal('cannot set up the database; exiting');
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
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await server.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `CIMORINGS failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
