import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProtocolRun, Report } from '../lib/report.js';

const RUN = fileURLToPath(new URL('../run.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'cimorings-bench-smoke-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every number in a latency summary is there (a count of zero would make them null). */
function expectLatency(summary: { count: number; p50: number | null; p99: number | null }): void {
  expect(summary.count).toBeGreaterThan(0);
  expect(summary.p50).toEqual(expect.any(Number));
  expect(summary.p99).toEqual(expect.any(Number));
}

/** Every ingest and capacity figure of one fleet, against the server and the floor. */
function expectFleetFigures(ingest: ProtocolRun['ingest'], capacity: ProtocolRun['capacity']): void {
  expect(ingest).not.toBeNull();
  for (const result of [ingest!.floor, ingest!.server]) {
    expect(result.steps.length).toBeGreaterThan(0);
    expect(result.sustained).toBeGreaterThan(0);
    for (const step of result.steps) {
      expectLatency(step.latency);
      expect(step.failed).toBe(0);
      expect(step.serverCpu).toBeGreaterThan(0);
    }
  }
  expect(ingest!.ratio).toBeGreaterThan(0);
  // Group commit must not lose what was acknowledged.
  expect(ingest!.server.storedSamples).toBeGreaterThanOrEqual(ingest!.server.acknowledgedSamples);

  expect(capacity).not.toBeNull();
  for (const result of [capacity!.floor, capacity!.server]) {
    expect(result.booted).toBe(result.stations);
    expect(result.bootStormSeconds).toBeGreaterThan(0);
    expect(result.openAfterIdle).toBe(result.stations);
    expect(result.heartbeats).toBeGreaterThan(0);
    expect(result.eventLoopLag).not.toBeNull();
    expect(result.rssIdleMb).toBeGreaterThan(0);
  }
}

describe('npm run bench (smoke size)', () => {
  it(
    'runs every scenario against the server and the floor, ingest and capacity with 1.6 and 2.0.1 fleets, and reports every figure',
    { timeout: 360_000 },
    async () => {
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', RUN, '--smoke', '--protocol', '1.6,2.0.1', '--out', out, '--name', 'smoke'],
        {
          timeout: 350_000,
        },
      );
      const report = JSON.parse(readFileSync(join(out, 'smoke.json'), 'utf8')) as Report;
      const markdown = readFileSync(join(out, 'smoke.md'), 'utf8');

      expect(report.notes.filter((note) => note.includes('failed'))).toEqual([]);
      expect(report.machine.cores).toBeGreaterThan(0);
      expect(report.machine.cpuModel).not.toBe('');

      expect(report.protocols.map((run) => run.protocol)).toEqual(['1.6', '2.0.1']);
      expect(report.ingest).toEqual(report.protocols[0]?.ingest);
      for (const { ingest, capacity } of report.protocols) expectFleetFigures(ingest, capacity);
      expect(markdown).toContain('## 4. OCPP versions side by side');
      expect(markdown).toMatch(/\| 2\.0\.1 \| \d+ \/ \d+ \|/);

      const fanout = report.fanout;
      expect(fanout).not.toBeNull();
      for (const result of [fanout!.floor, fanout!.server]) {
        expectLatency(result.eventLatency);
        expect(result.deliveredShare).toBe(1);
      }
      const scoped = fanout!.server.scoped;
      expect(scoped.clients).toBeGreaterThan(0);
      expect(scoped.clientsWithEvents).toBe(scoped.clients);
      expect(scoped.outOfScope).toBe(0);
      expect(scoped.forbiddenRefused).toBe(scoped.clients);

      for (const result of [fanout!.floor, fanout!.server]) {
        expectLatency(result.shownAge);
        expect(result.statusSent).toBeGreaterThan(0);
        expectLatency(result.otherEventLatency);
      }
      expect(fanout!.server.conflated).toEqual(expect.any(Number));

      const { history } = report;
      expect(history).not.toBeNull();
      expect(history!.samples).toBe(6000);
      expect(history!.bytesPerSample).toBeGreaterThan(0);
      for (const read of [
        history!.list,
        history!.listFiltered,
        history!.detail,
        history!.stats,
        history!.csvFirstByte,
      ])
        expectLatency(read);
      expect(history!.startup.readyMs).toBeGreaterThan(0);
      expect(history!.startup.idleRssMb).toBeGreaterThan(0);

      expect(report.budget.map((line) => line.id)).toEqual([
        'ingest-ratio',
        'meter-p99',
        'event-p99',
        'other-events-p99',
        'shown-age',
        'boot-storm',
        'rss-per-station',
        'history-reads',
      ]);
      for (const line of report.budget) {
        expect(line.met, line.id).not.toBeNull();
        expect(markdown).toContain(line.budget);
      }
      expect(markdown).toContain('## 1. Ingest');
      expect(markdown).toContain('## 2. Fan-out');
      expect(markdown).toContain('## 3. Capacity');
      expect(markdown).toContain('## 4. History');
    },
  );
});
