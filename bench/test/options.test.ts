import { describe, expect, it } from 'vitest';
import { MAX_NODES, parseOptions, UsageError } from '../lib/options.js';

const parse = (...argv: string[]) => parseOptions(argv, '/tmp/out');

describe('bench options: --nodes', () => {
  it('runs one node and the single-node scenarios by default', () => {
    const options = parse();
    expect(options.nodes).toBe(1);
    expect(options.scenarios).toEqual(['ingest', 'fanout', 'capacity', 'history']);
  });

  it('with several nodes on PostgreSQL, runs ingest, capacity and failover through HAProxy', () => {
    const options = parse('--nodes', '3', '--db', 'postgres');
    expect(options.nodes).toBe(3);
    expect(options.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(options.scenarios).toEqual(['ingest', 'capacity', 'failover']);
    expect(options.failover.stations).toBe(2000);
    expect(parse('--nodes', '2', '--db', 'postgres', '--quick').failover.stations).toBe(500);
    expect(parse('--nodes=2', '--db=postgres', '--redis-url', 'redis://10.0.0.5:6380').redisUrl).toBe(
      'redis://10.0.0.5:6380',
    );
  });

  it.each([
    [['--nodes', '0', '--db', 'postgres'], /--nodes/],
    [['--nodes', String(MAX_NODES + 1), '--db', 'postgres'], /--nodes/],
    [['--nodes', '2.5', '--db', 'postgres'], /--nodes/],
    [['--nodes', 'three', '--db', 'postgres'], /--nodes/],
    [['--nodes', '3'], /--db postgres/],
    [['--nodes', '3', '--db', 'sqlite'], /--db postgres/],
    [['--db', 'postgres', '--scenarios', 'failover'], /failover.*--nodes 2/],
    [['--nodes', '2', '--db', 'postgres', '--scenarios', 'ingest,crash'], /unknown scenario crash/],
  ])('refuses %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });
});

describe('bench options: --rounds', () => {
  it('runs the fleets once by default, and as many rounds as asked', () => {
    expect(parse().rounds).toBe(1);
    expect(parse('--protocol', '1.6,2.0.1,mixed', '--rounds', '3').rounds).toBe(3);
  });

  it.each([['0'], ['10'], ['1.5'], ['two']])('refuses --rounds %s', (rounds) => {
    expect(() => parse('--rounds', rounds)).toThrow(/--rounds/);
  });
});

describe('bench options: --server-node-args', () => {
  it('gives our server processes the Node.js options asked, none by default', () => {
    expect(parse().serverNodeArgs).toEqual([]);
    expect(parse('--server-node-args=--trace-gc  --max-semi-space-size=8 ').serverNodeArgs).toEqual([
      '--trace-gc',
      '--max-semi-space-size=8',
    ]);
  });

  it.each([['trace-gc'], ['--trace-gc; rm -rf /'], ['--cpu-prof'], ['-e']])('refuses %j', (args) => {
    expect(() => parse(`--server-node-args=${args}`)).toThrow(/--server-node-args/);
  });
});
