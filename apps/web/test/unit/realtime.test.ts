// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SocketServiceOptions } from '@cimorings/contracts/socket-service';
import { createRealtime, type SocketServiceLike, type Toast } from '../../src/realtime';
import { useAuthStore } from '../../src/stores/auth';
import { useConnectionStore } from '../../src/stores/connection';
import { useReservationsStore } from '../../src/stores/reservations';
import { useTransactionsStore } from '../../src/stores/transactions';
import { activeList, fakeApi, reservationCreated, userWith } from '../support/fake-api';
import { piniaWith } from '../support/mount';

/** Stands in for the contracts' SocketService: the test fires its events by hand. */
class FakeService implements SocketServiceLike {
  readonly joined: string[] = [];
  readonly left: string[] = [];
  private connectListeners: (() => void)[] = [];
  connects = 0;
  disconnected = false;
  constructor(readonly options: SocketServiceOptions) {}
  connect() {
    const socket = {
      on: (event: string, listener: () => void) => {
        if (event === 'connect') this.connectListeners.push(listener);
        return socket;
      },
      connect: () => {
        this.connects += 1;
        return socket;
      },
    };
    return socket as unknown as ReturnType<SocketServiceLike['connect']>;
  }
  joinRoom(room: string) {
    this.joined.push(room);
    return Promise.resolve({ ok: true as const });
  }
  leaveRoom(room: string) {
    this.left.push(room);
    return Promise.resolve({ ok: true as const });
  }
  disconnect() {
    this.disconnected = true;
  }
  fireConnect() {
    for (const listener of this.connectListeners) listener();
  }
}

let service: FakeService | null;
let toasts: Toast[];
let activeLoads: number;

function start() {
  const realtime = createRealtime({
    url: 'http://localhost',
    notify: (toast) => toasts.push(toast),
    createService: (options) => (service = new FakeService(options)),
    serverDisconnectRetryMs: 10,
  });
  realtime.start();
  return realtime;
}

beforeEach(async () => {
  service = null;
  toasts = [];
  activeLoads = 0;
  piniaWith(
    fakeApi({
      auth: {
        login: async () => ({ token: 'jwt-1', expiresIn: 3600, user: userWith(['transactions.view']) }),
      },
      transactions: {
        list: () => {
          activeLoads += 1;
          return activeList()();
        },
      },
    }),
  );
  await useAuthStore().login('tester', 'secret-pass');
});

afterEach(() => {
  localStorage.clear();
  vi.useRealTimers();
});

describe('realtime', () => {
  it('connects with the current token and turns the events into store updates and toasts', () => {
    start();
    expect(service?.options.url).toBe('http://localhost');
    const token = service?.options.token;
    expect(typeof token === 'function' ? token() : token).toBe('jwt-1');
    const handlers = service!.options.handlers!;
    handlers.transaction_started!({
      chargePointId: 'CS001',
      transactionId: 5,
      connectorId: 1,
      idTag: 'USER123',
      meterStart: 1000,
      timestamp: '2026-01-11T14:30:00.000Z',
    });
    handlers.meter_values_updated!({
      chargePointId: 'CS001',
      transactionId: 5,
      connectorId: 1,
      energy: 1800,
      power: 11,
      soc: 50,
      timestamp: '2026-01-11T14:31:00.000Z',
    });
    expect(useTransactionsStore().activeById[5]).toMatchObject({ energy: 1800, power: 11, soc: 50 });
    handlers.transaction_stopped!({
      chargePointId: 'CS001',
      transactionId: 5,
      meterStop: 2000,
      reason: 'Local',
      timestamp: '2026-01-11T14:40:00.000Z',
    });
    expect(useTransactionsStore().active).toEqual([]);
    expect(toasts.map((t) => t.kind)).toEqual(['transaction_started', 'transaction_stopped']);
    expect(toasts[1]).toMatchObject({ energyWh: 1000 });

    handlers.reservation_created!(reservationCreated(1));
    expect(useReservationsStore().list).toHaveLength(1);
  });

  it('shows the connection as lost until it comes back, then reloads what is live', async () => {
    start();
    const connection = useConnectionStore();
    expect(connection.state).toBe('connecting');
    service!.fireConnect();
    expect(connection.state).toBe('online');
    service!.options.onDisconnect!('transport close');
    expect(connection.state).toBe('reconnecting');
    service!.options.onConnectError!(new Error('xhr poll error'));
    expect(connection.state).toBe('reconnecting');
    const before = activeLoads;
    service!.fireConnect();
    expect(connection.state).toBe('online');
    expect(connection.reconnects).toBe(1);
    await Promise.resolve();
    expect(activeLoads).toBe(before + 1);
  });

  it('logs out when the handshake says Unauthorized', () => {
    start();
    const auth = useAuthStore();
    service!.options.onConnectError!(new Error('Unauthorized'));
    expect(auth.loggedIn).toBe(false);
    expect(auth.endedBy).toBe('expired');
    expect(service!.disconnected).toBe(true);
    expect(useConnectionStore().state).toBe('offline');
  });

  it('tries again after the server closed the connection, and logs out once the token expired', async () => {
    vi.useFakeTimers();
    start();
    service!.fireConnect();
    service!.options.onDisconnect!('io server disconnect');
    vi.advanceTimersByTime(20);
    expect(service!.connects).toBe(1);
    const auth = useAuthStore();
    auth.expiresAt = Date.now() - 1;
    service!.options.onDisconnect!('io server disconnect');
    expect(auth.loggedIn).toBe(false);
  });

  it('joins and leaves rooms through the service', async () => {
    const realtime = start();
    await realtime.joinRoom('dashboard');
    await realtime.leaveRoom('dashboard');
    expect(service!.joined).toEqual(['dashboard']);
    expect(service!.left).toEqual(['dashboard']);
  });
});

describe('auth store', () => {
  it('keeps the session across a reload and ends it when the token expires', async () => {
    const auth = useAuthStore();
    expect(auth.can('transactions.view')).toBe(true);
    expect(auth.can('stations.control')).toBe(false);

    piniaWith();
    vi.useFakeTimers();
    const reloaded = useAuthStore();
    expect(reloaded.restore()).toBe(true);
    expect(reloaded.token).toBe('jwt-1');
    const ended: string[] = [];
    reloaded.onLogout((reason) => ended.push(reason));
    vi.advanceTimersByTime(3600 * 1000 + 1);
    expect(reloaded.loggedIn).toBe(false);
    expect(ended).toEqual(['expired']);
    expect(localStorage.getItem('cimorings.session')).toBeNull();
  });

  it('treats system.admin as every permission', async () => {
    piniaWith(
      fakeApi({
        auth: { login: async () => ({ token: 't', expiresIn: 60, user: userWith(['system.admin']) }) },
      }),
    );
    const auth = useAuthStore();
    await auth.login('admin', 'pw');
    expect(auth.can('roles.manage')).toBe(true);
  });
});
