import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events.js';
import { CONFIGURATIONS } from './cluster-configurations.js';

const connected = (chargePointId: string): DomainEvent => ({
  type: 'StationConnected',
  chargePointId,
  timestamp: '2026-01-01T00:00:00.000Z',
});

/**
 * The bus is in memory in both configurations, by design (cluster/event-bus.ts): an event is
 * handled on the node where it happened, and the Socket.IO Redis adapter carries the broadcasts
 * to the other nodes' clients (tested end to end in integration/realtime-delivery.test.ts,
 * "two nodes sharing Redis"). This suite holds the bus to its promises in both configurations.
 */
describe.each(CONFIGURATIONS)('the event bus of the $name configuration', ({ nodes }) => {
  it('hands every event to every subscriber, in the order published, before publish returns', async () => {
    const { events } = (await nodes()).here;
    const first: DomainEvent[] = [];
    const second: DomainEvent[] = [];
    events.subscribe((event) => first.push(event));
    events.subscribe((event) => second.push(event));
    events.publish(connected('A'));
    events.publish(connected('B'));
    expect(first).toEqual([connected('A'), connected('B')]);
    expect(second).toEqual(first);
  });

  it('stops handing events to a subscriber that unsubscribed, and only to it', async () => {
    const { events } = (await nodes()).here;
    const kept: DomainEvent[] = [];
    const dropped: DomainEvent[] = [];
    events.subscribe((event) => kept.push(event));
    const unsubscribe = events.subscribe((event) => dropped.push(event));
    events.publish(connected('A'));
    unsubscribe();
    events.publish(connected('B'));
    expect(dropped).toEqual([connected('A')]);
    expect(kept).toEqual([connected('A'), connected('B')]);
  });

  it('keeps a failing subscriber from the publisher and from the other subscribers', async () => {
    const { events } = (await nodes()).here;
    const heard: DomainEvent[] = [];
    events.subscribe(() => {
      throw new Error('listener broke');
    });
    events.subscribe((event) => heard.push(event));
    expect(() => events.publish(connected('A'))).not.toThrow();
    expect(heard).toEqual([connected('A')]);
  });

  it('keeps each node’s events on that node (other nodes hear them through the real-time adapter)', async () => {
    const { here, all } = await nodes();
    const heardPerNode = all.map(({ events }) => {
      const heard: DomainEvent[] = [];
      events.subscribe((event) => heard.push(event));
      return heard;
    });
    here.events.publish(connected('A'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heardPerNode).toEqual(all.map((node) => (node === here ? [connected('A')] : [])));
  });
});
