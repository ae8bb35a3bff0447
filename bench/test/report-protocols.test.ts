import { describe, expect, it } from 'vitest';
import type { ProtocolRun, Report } from '../lib/report.js';
import { protocolsMarkdown } from '../lib/report-protocols.js';
import type { IngestResult, IngestStep } from '../scenarios/ingest.js';
import type { FleetProtocol } from '../load/messages.js';

/** A step at `target` calls/s answered in full, costing `perCall` µs of server CPU (`aboveIdle` above idle). */
function step(target: number, perCall: number, aboveIdle = perCall): IngestStep {
  return {
    target,
    achieved: target,
    sent: target * 10,
    answered: target * 10,
    failed: 0,
    deferred: 0,
    latency: { count: target * 10, p50: 1, p95: 2, p99: 3, max: 4 },
    serverCpu: (perCall * target) / 1e6,
    loadCpu: 0.1,
    otherCpu: 0,
    serverCpuPerCallUs: perCall,
    serverCpuPerCallAboveIdleUs: aboveIdle,
    serverRssMb: 100,
    errors: {},
  };
}

function ingest(protocol: FleetProtocol, steps: IngestStep[], idleServerCpu = 0.01): IngestResult {
  return {
    target: 'server',
    protocol,
    stations: 10,
    connectors: 2,
    steps,
    idleServerCpu,
    sustained: Math.max(...steps.map((s) => s.achieved)),
    atBudgetRate: null,
    acknowledgedSamples: 0,
    storedSamples: 0,
    profile: null,
    profileFromMs: 0,
    profileToMs: 0,
  };
}

function run(protocol: FleetProtocol, round: number, steps: IngestStep[]): ProtocolRun {
  const server = ingest(protocol, steps);
  return {
    protocol,
    round,
    capacity: null,
    ingest: { server, floor: { ...server, target: 'floor' }, ratio: 1 },
  };
}

const report = (protocols: ProtocolRun[]) =>
  ({ protocols, sizes: { ingest: { rates: [1000, 2000] } } }) as unknown as Report;

describe('bench report: the fleets side by side', () => {
  it('compares the mixed fleet with the average of 1.6 and 2.0.1 at every rate all three answered', () => {
    const text = protocolsMarkdown(
      report([
        run('1.6', 1, [step(1000, 600, 590), step(2000, 400)]),
        run('2.0.1', 1, [step(1000, 800, 780), step(2000, 500)]),
        // 2,000/s not answered in full: no verdict at that rate.
        run('mixed', 1, [step(1000, 700, 690), { ...step(2000, 460), achieved: 1500 }]),
      ]),
    ).join('\n');
    expect(text).toContain(
      '- Mixed fleet at 1000/s, server CPU per call: all CPU 700 µs against 700 (1.6 600, 2.0.1 800): **no more than the average**; ' +
        'above idle 690 µs against 685 (1.6 590, 2.0.1 780): **no more than the average**.',
    );
    expect(text).not.toContain('Mixed fleet at 2000/s');
    expect(text).toContain('| mixed | 1500 / 1500 | 100 % | 700 (690) |');
  });

  it('with several rounds, takes each fleet’s median and names the rounds', () => {
    const text = protocolsMarkdown(
      report([
        run('1.6', 1, [step(1000, 600)]),
        run('2.0.1', 1, [step(1000, 800)]),
        run('mixed', 1, [step(1000, 900)]),
        run('mixed', 2, [step(1000, 760)]),
        run('2.0.1', 2, [step(1000, 820)]),
        run('1.6', 2, [step(1000, 640)]),
        run('1.6', 3, [step(1000, 500)]),
        run('2.0.1', 3, [step(1000, 900)]),
        run('mixed', 3, [step(1000, 700)]),
      ]),
    ).join('\n');
    // Medians: 1.6 600, 2.0.1 820, mixed 760; average 710; 760 is over it by more than 5 %.
    expect(text).toContain(
      '- Mixed fleet at 1000/s, server CPU per call (medians of 3 rounds): all CPU 760 µs against 710 (1.6 600, 2.0.1 820): **more than the average**',
    );
    expect(text).toContain('| mixed (round 2) |');
  });
});
