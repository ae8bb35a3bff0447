import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  accepts,
  CONFIG_DOCUMENTS,
  configHelp,
  configTable,
  configTableIn,
  VARIABLES,
  withConfigTable,
} from '../../src/config/describe.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** The variables CONTRACT section 1 names: the schema may add to them, never rename one. */
const CONTRACT_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'JWT_EXPIRES_IN',
  'ADMIN_PASSWORD',
  'OCPP_UNKNOWN_STATIONS',
  'OCPP_HEARTBEAT_INTERVAL',
  'OCPP_CALL_TIMEOUT_MS',
  'LOG_LEVEL',
  'TRUST_PROXY',
];

describe('the configuration schema and its documents', () => {
  it('declares every variable of the contract, each name once', () => {
    const names = VARIABLES.map((variable) => variable.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(CONTRACT_VARIABLES));
  });

  it('declares defaults its own types accept', () => {
    for (const variable of VARIABLES) {
      expect({ [variable.env]: Value.Check(variable, variable.default) }).toEqual({ [variable.env]: true });
    }
  });

  it.each(CONFIG_DOCUMENTS)('%s carries the table the schema gives (run npm run docs:config)', (document) => {
    const text = readFileSync(resolve(REPO_ROOT, document), 'utf8');
    expect(configTableIn(text)).toBe(configTable());
    expect(withConfigTable(text)).toBe(text);
  });

  it('lists each variable in the table with what it accepts', () => {
    const rows = configTable().split('\n').slice(2);
    expect(rows).toHaveLength(VARIABLES.length);
    VARIABLES.forEach((variable, index) => {
      expect(rows[index]).toMatch(new RegExp(`^\\| \`${variable.env}\` +\\| ${accepts(variable)} +\\|`));
    });
    expect(configTable()).toContain('| `PORT`                            | a whole number from 0 to 65535 ');
    expect(configTable()).toContain('| one of fatal, error, warn, info, debug, trace, silent | `info`  ');
  });

  it('prints every variable in --help with its accepted values and default, in lines of at most 100 characters', () => {
    const help = configHelp();
    for (const variable of VARIABLES) expect(help).toContain(`\n  ${variable.env}\n`);
    expect(help).toContain('a whole number from 4096 to 16777216; default: 65536.');
    expect(help).toContain('a duration like 3600, 30m, 8h or 7d; default: 8h.');
    expect(help).toContain('at least 32 characters; default: generated once, stored in the database.');
    expect(help).not.toContain('`');
    for (const line of help.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
