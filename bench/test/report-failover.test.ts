import { describe, expect, it } from 'vitest';
import { clusterPreamble, failoverBudget, failoverMarkdown } from '../lib/report-failover.js';
import type { FailoverResult } from '../scenarios/failover.js';

const result: FailoverResult = {
  nodes: 3,
  stations: 2000,
  meterIntervalMs: 10_000,
  killedNode: 'failover-1-node2',
  stationsOnKilledNode: 667,
  dropped: 667,
  recoverySeconds: 4.2,
  acknowledged: 12_000,
  lost: 0,
  duplicated: 0,
  duplicatedTransactions: 0,
  loadAverage: [9.5, 8.1, 7],
};

describe('bench report: the failover scenario', () => {
  it('is met only when nothing answered was lost or stored twice', () => {
    expect(failoverBudget(result)).toEqual([
      expect.objectContaining({
        id: 'failover',
        met: true,
        note: '',
        value: '2000 stations back 4.2 s after the kill; 0 lost, 0 duplicated of 12000 answered',
      }),
    ]);
    for (const bad of [{ lost: 1 }, { duplicated: 1 }, { duplicatedTransactions: 1 }]) {
      expect(failoverBudget({ ...result, ...bad })[0]?.met).toBe(false);
    }
    expect(failoverBudget({ ...result, stations: 500 })[0]?.note).toBe(
      "scaled down: 500 stations of the issue's 2000",
    );
  });

  it('reports the recovery time, losses, duplicates and load, and says what a cluster on one machine measures', () => {
    const markdown = failoverMarkdown(result).join('\n');
    expect(markdown).toContain('## 5. Failover');
    expect(markdown).toContain(
      '| **from the kill until every station is connected and accepted again** | **4.2 s** |',
    );
    expect(markdown).toContain('| **lost** (answered, not stored) | **0** |');
    expect(markdown).toContain('| load average at the kill (1 / 5 / 15 min) | 9.5 / 8.1 / 7 |');
    expect(clusterPreamble(3, 2).join('\n')).toContain('measure correctness and recovery, not throughput');
  });
});
