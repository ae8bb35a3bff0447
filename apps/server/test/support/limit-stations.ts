import { createIdTags, createStation, startTransaction } from './builders.js';
import { bootChargePoint, type TestChargePoint } from './ocpp-client.js';
import type { TestApp } from './test-app.js';

type SetProfile = {
  connectorId: number;
  csChargingProfiles: {
    chargingProfilePurpose: string;
    chargingSchedule: { chargingSchedulePeriod: { limit: number }[] };
  };
};

/** The id tag of a station's connector (one per connector: a tag charges once at a time). */
const tagOf = (chargePointId: string, connectorId: number) =>
  connectorId === 1 ? `TAG-${chargePointId}` : `TAG-${chargePointId}-${connectorId}`;

/** A SetChargingProfile TxProfile a station was asked, and what it answered. */
export interface Asked {
  chargePointId: string;
  connectorId: number;
  limitW: number;
  /** ms since the epoch, real time. */
  at: number;
  status?: string;
}

/**
 * Raw 1.6 stations of one site that answer the load manager's TxProfiles as a test says
 * (`answer`: the status, after as long as the test likes) and keep what each connector holds
 * (its last accepted limit), so that a test can check the sum of the limits in force at every
 * accepted profile (`highestW`). A connector never limited holds nothing.
 */
export class LimitStations {
  readonly clients = new Map<string, TestChargePoint>();
  /** Every TxProfile asked, in order. */
  readonly asked: Asked[] = [];
  /** The limit each connector holds, W, by `chargePointId/connectorId`. */
  readonly holding = new Map<string, number>();
  /** The highest sum of the limits held seen, W. */
  highestW = 0;

  constructor(
    private readonly app: TestApp,
    private readonly token: string,
    private readonly siteId: number,
    private readonly answer: (asked: Asked) => Promise<string> | string = () => 'Accepted',
  ) {}

  /** Creates, boots and connects a station of the site (22 kW unless told), with an id tag per connector. */
  async add(chargePointId: string, maxPowerKw = 22, connectors = 1): Promise<TestChargePoint> {
    await createStation(this.app, this.token, {
      chargePointId,
      siteId: this.siteId,
      ocppPassword: null,
      maxPowerKw,
    });
    const tags = Array.from({ length: connectors }, (_, i) => tagOf(chargePointId, i + 1));
    await createIdTags(this.app, this.token, ...tags);
    const { client } = await bootChargePoint(this.app.url, chargePointId);
    client.handle(async ({ method, params }) => {
      if (method !== 'SetChargingProfile') return {};
      const { connectorId, csChargingProfiles } = params as SetProfile;
      const limitW = csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.limit;
      const asked: Asked = { chargePointId, connectorId, limitW, at: Date.now() };
      this.asked.push(asked);
      asked.status = await this.answer(asked);
      if (asked.status === 'Accepted') this.hold(`${chargePointId}/${connectorId}`, limitW);
      return { status: asked.status };
    });
    this.clients.set(chargePointId, client);
    return client;
  }

  /** Starts a session at a station's connector; answers its transaction id. */
  async start(chargePointId: string, connectorId = 1, at = new Date()): Promise<number> {
    const client = this.clients.get(chargePointId)!;
    const fields = { connectorId, idTag: tagOf(chargePointId, connectorId), timestamp: at.toISOString() };
    return (await startTransaction(client, fields)).transactionId;
  }

  /** The TxProfiles a station's connector was asked, W (the accepted ones when `accepted`). */
  limits(chargePointId: string, connectorId = 1, accepted = false): number[] {
    return this.asked
      .filter((a) => a.chargePointId === chargePointId && a.connectorId === connectorId)
      .filter((a) => !accepted || a.status === 'Accepted')
      .map((a) => a.limitW);
  }

  /** A connector holds `limitW` (its station accepted it, or lost it: its maximum). */
  hold(key: string, limitW: number): void {
    this.holding.set(key, limitW);
    const sum = [...this.holding.values()].reduce((total, w) => total + w, 0);
    this.highestW = Math.max(this.highestW, sum);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close({ force: true })));
  }
}
