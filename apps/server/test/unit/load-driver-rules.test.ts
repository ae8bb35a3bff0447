import { describe, expect, it } from 'vitest';
import type { NodeInfo, NodeMembership } from '../../src/cluster/node-membership.js';
import { drivesLoadManagement } from '../../src/composition/services.js';

/** A membership that lists the given nodes alive. */
function membership(nodeId: string, alive: string[]): NodeMembership {
  const node = (id: string): NodeInfo => ({ nodeId: id, startedAt: '', lastSeenAt: '', stations: 0 });
  return {
    nodeId,
    nodes: () => Promise.resolve(alive.map(node)),
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

describe('which node drives site load management', () => {
  it('is the alive node with the lowest NODE_ID, and a node alone', async () => {
    expect(await drivesLoadManagement(membership('node-a', ['node-b', 'node-a', 'node-c']))).toBe(true);
    expect(await drivesLoadManagement(membership('node-b', ['node-b', 'node-a', 'node-c']))).toBe(false);
    expect(await drivesLoadManagement(membership('solo', ['solo']))).toBe(true);
    // Not yet listed (membership starting): no other node is known to drive.
    expect(await drivesLoadManagement(membership('new', []))).toBe(true);
  });
});
