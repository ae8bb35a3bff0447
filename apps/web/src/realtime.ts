/**
 * The one module that turns Socket.IO events into store updates (STYLE: views and components
 * never subscribe to the socket). It connects with the session's token through the typed
 * SocketService of the contracts (which joins its rooms again after a reconnection), keeps the
 * connection state for the "reconnecting" banner, reloads the live state after a reconnection,
 * raises the toasts of the customer's document, and ends the session when the server says
 * Unauthorized.
 */
import {
  SocketService,
  type RealtimeSocket,
  type SocketServiceOptions,
} from '@cimorings/contracts/socket-service';
import type {
  RoomAck,
  ServerToClientEvents,
  TransactionStartedPayload,
  TransactionStoppedPayload,
} from '@cimorings/contracts';
import { inject, type InjectionKey } from 'vue';
import { useAuthStore } from './stores/auth';
import { useConnectionStore } from './stores/connection';
import { useReservationsStore } from './stores/reservations';
import { useSiteLoadsStore } from './stores/siteLoads';
import { useStationsStore } from './stores/stations';
import { energyBetween, useTransactionsStore } from './stores/transactions';

/** The part of SocketService this module uses; tests pass a fake. */
export interface SocketServiceLike {
  connect(): Pick<RealtimeSocket, 'on' | 'connect'>;
  joinRoom(room: string): Promise<RoomAck>;
  leaveRoom(room: string): Promise<RoomAck>;
  disconnect(): void;
}

export type Toast =
  | { kind: 'transaction_started'; payload: TransactionStartedPayload }
  | {
      kind: 'transaction_stopped';
      payload: TransactionStoppedPayload;
      /** Wh delivered, when the transaction was known here. */
      energyWh: number | null;
    };

export interface RealtimeOptions {
  /** The server; the page's origin in the browser. */
  url: string;
  /** Shows "Transaksi dimulai" / "Transaksi selesai". */
  notify: (toast: Toast) => void;
  /** Builds the socket service; the contracts' SocketService by default. */
  createService?: (options: SocketServiceOptions) => SocketServiceLike;
  /** How long to wait before reconnecting after the server closed the connection, ms. */
  serverDisconnectRetryMs?: number;
}

export interface Realtime {
  /** Connects with the current session's token. */
  start(): void;
  /** Disconnects (logout). */
  stop(): void;
  joinRoom(room: string): Promise<RoomAck>;
  leaveRoom(room: string): Promise<RoomAck>;
}

export function createRealtime(options: RealtimeOptions): Realtime {
  const auth = useAuthStore();
  const connection = useConnectionStore();
  const stations = useStationsStore();
  const transactions = useTransactionsStore();
  const reservations = useReservationsStore();
  const siteLoads = useSiteLoadsStore();
  const createService = options.createService ?? ((o: SocketServiceOptions) => new SocketService(o));
  let service: SocketServiceLike | null = null;
  let everConnected = false;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const handlers: Partial<ServerToClientEvents> = {
    transaction_started: (payload) => {
      transactions.applyStarted(payload);
      options.notify({ kind: 'transaction_started', payload });
    },
    transaction_stopped: (payload) => {
      const known = transactions.activeById[payload.transactionId];
      transactions.applyStopped(payload);
      const energyWh = known ? energyBetween(known.meterStart, payload.meterStop) : null;
      options.notify({ kind: 'transaction_stopped', payload, energyWh });
    },
    station_status_updated: (payload) => stations.applyStationStatus(payload),
    connector_status_updated: (payload) => stations.applyConnectorStatus(payload),
    meter_values_updated: (payload) => transactions.applyMeterValues(payload),
    reservation_created: (payload) => reservations.applyCreated(payload),
    reservation_cancelled: (payload) => reservations.applyCancelled(payload),
    site_load_updated: (payload) => siteLoads.applyUpdated(payload),
  };

  /** Events were missed while the connection was down: reload what is live. */
  function reloadLiveState(): void {
    if (auth.can('stations.view')) void stations.loadAll().catch(() => undefined);
    if (auth.can('transactions.view')) void transactions.loadActive().catch(() => undefined);
  }

  function stop(): void {
    if (retry) clearTimeout(retry);
    retry = null;
    const current = service;
    service = null;
    current?.disconnect();
    connection.set('offline');
  }

  function start(): void {
    if (service || !auth.token) return;
    everConnected = false;
    connection.set('connecting');
    const current = createService({
      url: options.url,
      // Read at each (re)connection, so a changed password's new token is used.
      token: () => auth.token ?? '',
      handlers,
      onConnectError: (error) => {
        if (service !== current) return;
        if (error.message === 'Unauthorized') {
          // The token expired or was revoked: the client will not retry; neither do we.
          stop();
          auth.logout('expired');
          return;
        }
        connection.set(everConnected ? 'reconnecting' : 'connecting');
      },
      onDisconnect: (reason) => {
        if (service !== current) return;
        if (reason === 'io client disconnect') return;
        connection.set('reconnecting');
        if (reason !== 'io server disconnect') return; // the client reconnects by itself
        // The server closed the connection (an expired token, or too many events): the client
        // does not retry on its own. An expired session ends here; otherwise try again, and a
        // refused token ends it through connect_error.
        if (auth.expiresAt !== null && auth.expiresAt <= Date.now()) {
          stop();
          auth.logout('expired');
          return;
        }
        retry = setTimeout(() => {
          retry = null;
          if (service === current) socket.connect();
        }, options.serverDisconnectRetryMs ?? 1000);
      },
    });
    service = current;
    const socket = current.connect();
    socket.on('connect', () => {
      if (service !== current) return;
      if (everConnected) reloadLiveState();
      everConnected = true;
      connection.set('online');
    });
  }

  return {
    start,
    stop,
    joinRoom: (room) => service?.joinRoom(room) ?? Promise.resolve({ ok: false, error: 'UNKNOWN_ROOM' }),
    leaveRoom: (room) => service?.leaveRoom(room) ?? Promise.resolve({ ok: true }),
  };
}

/** The app's real-time client, provided once in main.ts (tests provide their own). */
export const REALTIME_KEY: InjectionKey<Realtime> = Symbol('realtime');

/** The provided real-time client, or null where none is (a component mounted on its own). */
export function useRealtime(): Realtime | null {
  return inject(REALTIME_KEY, null);
}
