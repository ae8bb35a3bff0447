import type { FailoverResult } from '../scenarios/failover.js';
import type { BudgetLine } from './report.js';

const ISSUE_STATIONS = 2000;

/** Issue 16's failover: nothing answered is lost or stored twice when a node is killed. */
export function failoverBudget(failover: FailoverResult): BudgetLine[] {
  return [
    {
      id: 'failover',
      budget:
        'a node killed under load: every station connected and accepted again, 0 messages lost, 0 duplicated',
      value:
        `${failover.stations} stations back ${failover.recoverySeconds} s after the kill; ` +
        `${failover.lost} lost, ${failover.duplicated + failover.duplicatedTransactions} duplicated ` +
        `of ${failover.acknowledged} answered`,
      met: failover.lost === 0 && failover.duplicated === 0 && failover.duplicatedTransactions === 0,
      note:
        failover.stations < ISSUE_STATIONS
          ? `scaled down: ${failover.stations} stations of the issue's ${ISSUE_STATIONS}`
          : '',
    },
  ];
}

/** What a cluster run is for, said before any figure: several nodes on two cores share them. */
export function clusterPreamble(nodes: number, cores: number): string[] {
  return [
    `**${nodes} nodes on PostgreSQL and Redis behind HAProxy, all on this one machine of ${cores} cores:** ` +
      'these figures measure correctness and recovery, not throughput. The nodes, HAProxy, PostgreSQL and ' +
      'Redis share the cores; a node has a core of its own in production. The server CPU and memory ' +
      'figures are those of every node and HAProxy together.',
    '',
  ];
}

export function failoverMarkdown(f: FailoverResult): string[] {
  return [
    '## 5. Failover (a node killed under load)',
    '',
    `${f.stations} simulated stations (reconnecting with backoff, 0.2 s to 2 s) charge through HAProxy on ` +
      `${f.nodes} nodes, MeterValues every ${f.meterIntervalMs / 1000} s each; the node holding the most ` +
      'stations is killed with SIGKILL. Afterwards the other nodes stop gracefully and every MeterValues a ' +
      'station got an answer for is looked up in the database.',
    '',
    '| | |',
    '| --- | --- |',
    `| node killed | ${f.killedNode} (${f.stationsOnKilledNode} stations) |`,
    `| stations whose socket dropped | ${f.dropped} |`,
    `| **from the kill until every station is connected and accepted again** | **${f.recoverySeconds} s** |`,
    `| MeterValues answered | ${f.acknowledged} |`,
    `| **lost** (answered, not stored) | **${f.lost}** |`,
    `| **duplicated** (stored twice; transactions started twice) | **${f.duplicated}; ${f.duplicatedTransactions}** |`,
    `| load average at the kill (1 / 5 / 15 min) | ${f.loadAverage.join(' / ')} |`,
    '',
  ];
}
