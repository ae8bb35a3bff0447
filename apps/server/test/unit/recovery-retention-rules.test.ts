import { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { recoverAfterTokenCheck, type RecoveringAdapter } from '../../src/realtime/session-restore.js';

/** Socket.IO's one-node adapter, as io.ts sets it up, and the events it keeps for recovery. */
function oneNode() {
  const io = new Server({ connectionStateRecovery: { maxDisconnectionDuration: 120_000 } });
  const adapter = io.of('/').adapter as unknown as RecoveringAdapter & {
    packets: unknown[];
    addAll(id: string, rooms: Set<string>): void;
    persistSession(session: { sid: string; pid: string; rooms: string[]; data: unknown }): void;
  };
  recoverAfterTokenCheck(adapter);
  return { io, adapter };
}

// Servers not attached to any HTTP server: nothing to close (the adapter's timer is unref'd).
describe('events kept for connection state recovery on one node', () => {
  it('keeps none that no socket could get and no session could be restored to', () => {
    const { io, adapter } = oneNode();
    io.to('dashboard').emit('meter_values_updated', { energy: 1 });
    io.emit('station_status_updated', { status: 'Available' });
    expect(adapter.packets).toHaveLength(0);
  });

  it('keeps those that reach a socket in their rooms, and every one while a session is kept', () => {
    const { io, adapter } = oneNode();
    adapter.addAll('socket-1', new Set(['dashboard']));
    io.to('dashboard').emit('meter_values_updated', { energy: 1 });
    io.to('station:CP-2').emit('meter_values_updated', { energy: 2 });
    expect(adapter.packets).toHaveLength(1);
    // A disconnected socket's session, kept for a restore: whatever it may have missed is kept.
    adapter.persistSession({ sid: 'socket-2', pid: 'pid-2', rooms: ['station:CP-2'], data: {} });
    io.to('station:CP-2').emit('meter_values_updated', { energy: 3 });
    io.to('site:9').emit('meter_values_updated', { energy: 4 });
    expect(adapter.packets).toHaveLength(3);
  });
});
