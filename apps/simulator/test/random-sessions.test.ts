import { describe, expect, it } from 'vitest';
import { RandomSessions } from '../src/scenarios/random-sessions.js';
import { acceptedStation } from './support/fixtures.js';

describe('RandomSessions', () => {
  it('keeps starting and stopping sessions on every connector', async () => {
    const { csms, cp } = await acceptedStation({ connectors: 2 });
    const drivers = new RandomSessions(cp, { idTags: ['A', 'B'], idleMs: [10, 30], chargeMs: [40, 60] });
    const stops = new Set<number>();
    const bothStoppedTwice = cp.waitFor('transactionStopped', ({ connectorId }) => {
      stops.add(connectorId);
      return csms.received('StopTransaction').length >= 3 && stops.size === 2;
    });
    drivers.start();
    await bothStoppedTwice;
    drivers.stop();

    expect(new Set(csms.received('StartTransaction').map((s) => s.idTag))).not.toContain('SIMTAG');
    expect(new Set(csms.received('StartTransaction').map((s) => s.connectorId))).toEqual(new Set([1, 2]));
  });
});
