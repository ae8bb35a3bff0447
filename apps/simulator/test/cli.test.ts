import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, stationIds, UsageError } from '../src/cli/args.js';
import { parseCliDuration } from '../src/cli/duration.js';

describe('parseCliDuration', () => {
  it('reads milliseconds, seconds, minutes and hours', () => {
    expect(['500ms', '10s', '2m', '1.5h', '0'].map(parseCliDuration)).toEqual([
      500, 10_000, 120_000, 5_400_000, 0,
    ]);
  });

  it('refuses a number without unit and anything else', () => {
    for (const text of ['10', '10 sec', '-1s', 's', ''])
      expect(() => parseCliDuration(text)).toThrow(RangeError);
  });
});

describe('parseCliArgs', () => {
  it('fills in defaults', () => {
    expect(parseCliArgs([])).toEqual({
      stations: 1,
      connectors: 2,
      url: 'ws://localhost:3000/ocpp',
      password: undefined,
      idTag: 'SIMTAG',
      meterIntervalMs: 10_000,
      prefix: 'SIM',
      sessions: false,
      powerKw: 11,
      protocol: '1.6',
      tls: {},
    });
  });

  it('reads every option', () => {
    const options = parseCliArgs([
      '--stations',
      '10',
      '--connectors',
      '4',
      '--url',
      'wss://csms.example.com/ocpp',
      '--password',
      'pw',
      '--id-tag',
      'CARD',
      '--meter-interval',
      '500ms',
      '--prefix',
      'LOAD',
      '--sessions',
      '--power',
      '22',
      '--protocol',
      '2.0.1',
    ]);
    expect(options).toEqual({
      stations: 10,
      connectors: 4,
      url: 'wss://csms.example.com/ocpp',
      password: 'pw',
      idTag: 'CARD',
      meterIntervalMs: 500,
      prefix: 'LOAD',
      sessions: true,
      powerKw: 22,
      protocol: '2.0.1',
      tls: {},
    });
    expect(parseCliArgs(['--protocol', 'mixed'])?.protocol).toBe('mixed');
  });

  it('connects over wss:// with --tls, and reads the PEM files of --ca, --cert and --key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const pem = (name: string) => {
      const path = join(dir, name);
      writeFileSync(
        path,
        `-----BEGIN ${name.toUpperCase()}-----\nAAAA\n-----END ${name.toUpperCase()}-----\n`,
      );
      return path;
    };
    try {
      expect(parseCliArgs(['--tls'])?.url).toBe('wss://localhost:3000/ocpp');
      const options = parseCliArgs(['--ca', pem('ca'), '--cert', pem('cert'), '--key', pem('key')]);
      expect(options?.url).toBe('wss://localhost:3000/ocpp');
      expect(options?.tls).toEqual({
        ca: expect.stringContaining('BEGIN CA'),
        cert: expect.stringContaining('BEGIN CERT'),
        key: expect.stringContaining('BEGIN KEY'),
      });
      expect(() => parseCliArgs(['--cert', pem('cert')])).toThrow('--cert and --key go together');
      expect(() => parseCliArgs(['--ca', join(dir, 'missing.pem')])).toThrow(/--ca .* cannot be read/);
      writeFileSync(join(dir, 'plain.txt'), 'not pem');
      expect(() => parseCliArgs(['--ca', join(dir, 'plain.txt')])).toThrow(/is not a PEM file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns undefined for --help and refuses bad values with a UsageError', () => {
    expect(parseCliArgs(['--help'])).toBeUndefined();
    for (const argv of [
      ['--stations', '0'],
      ['--meter-interval', '10'],
      ['--url', 'http://x'],
      ['--protocol', '2.0'],
      ['--bogus'],
      ['x'],
    ]) {
      expect(() => parseCliArgs(argv)).toThrow(UsageError);
    }
  });
});

describe('stationIds', () => {
  it('numbers stations from 1 with at least three digits', () => {
    expect(stationIds('SIM', 3)).toEqual(['SIM001', 'SIM002', 'SIM003']);
    expect(stationIds('X', 1000).at(-1)).toBe('X1000');
  });
});
