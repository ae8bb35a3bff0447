import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { announceAdminPassword } from '../../src/admin-password-notice.js';
import { loadConfig } from '../../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'cimorings-notice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A logger whose lines are kept, and a stderr that keeps what is written to it. */
function sinks(isTTY: boolean) {
  const lines: string[] = [];
  const written: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { lines, written, logger, stderr: { isTTY, write: (text: string) => written.push(text) } };
}

describe('the generated admin password notice', () => {
  it('goes to stderr when a terminal reads it, and nowhere else', () => {
    const { lines, written, logger, stderr } = sinks(true);
    const file = join(dir, 'tty', 'admin-password.txt');
    announceAdminPassword('tty-password-123', { file, stderr, logger });
    expect(written.join('')).toContain('password: tty-password-123');
    expect(lines.join('')).not.toContain('tty-password-123');
    expect(() => statSync(file)).toThrow();
  });

  it('goes to a file of mode 0600 otherwise, replacing an older one, and only the path is logged', () => {
    const { lines, written, logger, stderr } = sinks(false);
    const file = join(dir, 'data', 'admin-password.txt');
    announceAdminPassword('first-password-1', { file, stderr, logger });
    writeFileSync(file, 'stale', { mode: 0o644 });
    announceAdminPassword('file-password-123', { file, stderr, logger });
    expect(readFileSync(file, 'utf8')).toContain('password: file-password-123');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(written).toEqual([]);
    expect(lines.join('')).toContain(file);
    expect(lines.join('')).not.toContain('file-password-123');
  });

  it('is kept next to the SQLite database unless ADMIN_PASSWORD_FILE says where', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/srv/cims/db.sqlite' }).adminPasswordFile).toBe(
      '/srv/cims/admin-password.txt',
    );
    expect(loadConfig({}).adminPasswordFile).toBe(join('data', 'admin-password.txt'));
    expect(loadConfig({ ADMIN_PASSWORD_FILE: '/run/secrets/admin' }).adminPasswordFile).toBe(
      '/run/secrets/admin',
    );
  });
});
