import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';

export interface AdminPasswordNoticeOptions {
  /** Where the password is written when no terminal reads stderr (`ADMIN_PASSWORD_FILE`). */
  file: string;
  /** The process's stderr: written to only when it is a terminal. */
  stderr: { isTTY?: boolean; write(text: string): unknown };
  logger: FastifyBaseLogger;
}

/**
 * Tells the operator the generated admin password, once, never on the stream of the JSON logs
 * (stdout, often shipped to a log store): on stderr when that is a terminal a person reads,
 * otherwise in a file only its owner may read (mode 0600), whose path alone is logged.
 */
export function announceAdminPassword(password: string, options: AdminPasswordNoticeOptions): void {
  const text =
    `\n  CIMORINGS admin account created\n  username: admin\n  password: ${password}\n` +
    `  (shown only now: log in and change it)\n\n`;
  if (options.stderr.isTTY === true) {
    options.stderr.write(text);
    return;
  }
  try {
    mkdirSync(dirname(options.file), { recursive: true });
    // Removed first, so that the mode applies to a new file and a stale one never keeps wider rights.
    rmSync(options.file, { force: true });
    writeFileSync(options.file, text.trimStart(), { mode: 0o600, flag: 'wx' });
    // Absolute: `npm start` runs in apps/server, which the operator may not know.
    options.logger.warn(
      { file: resolve(options.file) },
      'admin account created: its generated password is in this file (readable by this user only); log in, change it, delete the file',
    );
  } catch (error) {
    options.logger.error(
      { err: error, file: options.file },
      'admin account created, but its generated password could not be written; set ADMIN_PASSWORD on an empty database instead',
    );
  }
}
