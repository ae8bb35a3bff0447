import { expect } from 'vitest';
import { BOOT } from '../../support/ocpp-client.js';
import type { TestApp } from '../../support/test-app.js';
import { isCleanClose, RawChargePoint, type Outcome } from './ocpp-wire.js';

/**
 * A charge point under test that comes back when the server closes it: the accepted one with
 * its password, or an unknown one (pending) without. Each (re)connection boots first, as a real
 * charge point does.
 */
export class HostileStation {
  private socket: RawChargePoint | undefined;
  private sequence = 0;
  /** Close codes of the connections the server ended. */
  readonly closes: number[] = [];

  constructor(
    private readonly ocppUrl: string,
    readonly identity: string,
    private readonly password?: string,
  ) {}

  nextId(): string {
    this.sequence += 1;
    return `h${this.sequence}`;
  }

  /** The open socket, reconnecting (and booting) when the server closed the last one. */
  async connection(): Promise<RawChargePoint> {
    if (this.socket?.open) return this.socket;
    if (this.socket?.closeCode !== undefined) this.closes.push(this.socket.closeCode);
    const opened = await RawChargePoint.open(this.ocppUrl, this.identity, this.password);
    if (typeof opened === 'number') throw new Error(`${this.identity} could not reconnect: HTTP ${opened}`);
    const boot = await opened.call(this.nextId(), 'BootNotification', BOOT);
    expect(boot.kind, `${this.identity} boots`).toBe('frame');
    this.socket = opened;
    return opened;
  }

  async call(action: string, payload: unknown): Promise<Outcome> {
    return (await this.connection()).call(this.nextId(), action, payload);
  }

  close(): void {
    this.socket?.close();
  }
}

/** Fails unless the outcome is an answer, or a clean close by the server. */
export function expectAnsweredOrClosed(outcome: Outcome, what: string): void {
  if (outcome.kind === 'silent') throw new Error(`no answer and no close within 5 s: ${what}`);
  if (outcome.kind === 'closed' && !isCleanClose(outcome.code))
    throw new Error(`connection dropped with close code ${outcome.code}: ${what}`);
}

/** The process is up: health answers and a charge point that never took part boots normally. */
export async function expectServerUp(app: TestApp, admin: string, identity: string): Promise<void> {
  expect((await app.request('GET', '/api/health')).status).toBe(200);
  const password = 'fresh-station-password';
  const created = await app.request('POST', '/api/stations', {
    token: admin,
    body: { chargePointId: identity, name: 'Fresh', ocppPassword: password },
  });
  expect(created.status).toBe(201);
  const fresh = await RawChargePoint.open(`${app.url.replace(/^http/, 'ws')}/ocpp`, identity, password);
  if (typeof fresh === 'number') throw new Error(`a fresh charge point is refused: HTTP ${fresh}`);
  const boot = await fresh.call('fresh-boot', 'BootNotification', BOOT);
  expect(boot).toMatchObject({ kind: 'frame', frame: [3, 'fresh-boot', { status: 'Accepted' }] });
  fresh.close();
}

/**
 * Whatever the charge points sent, every read path still answers: lists, exports, figures and
 * the message log of each station named (CONTRACT section 3: a stored row never makes a 500).
 */
export async function expectReadable(app: TestApp, admin: string, stations: string[]): Promise<void> {
  const paths = [
    '/api/stations?limit=1000',
    '/api/transactions?limit=1000',
    '/api/transactions?limit=1000&sort=energyDelivered',
    '/api/transactions.csv',
    '/api/stats',
    '/api/reservations?limit=1000',
    ...stations.flatMap((id) => [`/api/stations/${id}`, `/api/stations/${id}/messages?limit=1000`]),
  ];
  for (const path of paths) {
    const response = await app.request('GET', path, { token: admin });
    expect(response.status, `GET ${path}: ${response.text.slice(0, 200)}`).toBe(200);
  }
}
