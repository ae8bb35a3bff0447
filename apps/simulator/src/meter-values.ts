import type { v16 } from '@cimorings/ocpp';
import type { Configuration } from './configuration.js';
import type { Connector } from './connector.js';
import type { ConnectorBank } from './connectors.js';
import type { CentralSystemLink, Emit } from './events.js';
import { toMeterValue } from './meter.js';
import type { LogFn, ResolvedOptions } from './options.js';
import type { SimulatorTime } from './time.js';

/** Periodic samples kept per transaction for StopTransaction's transactionData, besides the first. */
const KEPT_SAMPLES = 3;

/**
 * MeterValues (OCPP 1.6 section 4.7): one timer per charging connector at
 * MeterValueSampleInterval, plus samples on demand and on TriggerMessage.
 */
export class MeterValueSampler {
  private intervalMs: number;
  private readonly log: LogFn;
  private readonly time: SimulatorTime;

  constructor(
    private readonly bank: ConnectorBank,
    private readonly link: CentralSystemLink,
    private readonly config: Configuration,
    private readonly emit: Emit,
    /** `meterIntervalMs`: the first interval (0: no periodic samples). */
    options: Pick<ResolvedOptions, 'meterIntervalMs' | 'log' | 'time'>,
  ) {
    this.intervalMs = options.meterIntervalMs;
    this.log = options.log;
    this.time = options.time;
  }

  /**
   * Reads the meter of a connector and sends it in MeterValues, with the transactionId when a
   * transaction runs there. A periodic sample is also kept for the transaction's StopTransaction,
   * and a full battery turns Charging into SuspendedEV. Skipped while not registered.
   */
  async send(connectorId: number, context: v16.ReadingContext = 'Sample.Periodic'): Promise<void> {
    const connector = this.bank.get(connectorId);
    if (!connector) throw new RangeError(`No connector ${connectorId}`);
    const now = this.time.now();
    const reading = connector.meter.read(now);
    const measurands = this.config.sampledMeasurands;
    const timestamp = new Date(now).toISOString();
    const meterValue = toMeterValue(reading, context, timestamp, measurands);
    const transaction = connector.transaction;
    if (transaction && context === 'Sample.Periodic') {
      transaction.samples.push(meterValue);
      if (transaction.samples.length > KEPT_SAMPLES + 1) transaction.samples.splice(1, 1);
    }
    if (transaction && connector.meter.isFull && connector.status === 'Charging') {
      void this.bank.setStatus(connectorId, 'SuspendedEV');
    }
    // Before registration only a TriggerMessage may draw MeterValues out of the charge point.
    if ((!this.link.accepted && context !== 'Trigger') || meterValue.sampledValue.length === 0) return;
    await this.link.call('MeterValues', {
      connectorId,
      ...(transaction ? { transactionId: transaction.transactionId } : {}),
      meterValue: [meterValue],
    });
    this.emit('meterValues', {
      connectorId,
      transactionId: transaction?.transactionId,
      energyWh: reading.energyWh,
      powerW: reading.powerW,
      soc: reading.soc,
      timestamp,
    });
  }

  /** Starts periodic samples on a connector (again). */
  arm(connector: Connector): void {
    this.disarm(connector);
    if (this.intervalMs <= 0) return;
    connector.meterTimer = this.time.setInterval(() => {
      this.send(connector.id).catch((error: Error) =>
        this.log('warn', `MeterValues ${connector.id} failed: ${error.message}`),
      );
    }, this.intervalMs);
  }

  /** Stops periodic samples on a connector. */
  disarm(connector: Connector): void {
    this.time.clearInterval(connector.meterTimer);
    connector.meterTimer = undefined;
  }

  /** Changes the interval (0 = no periodic samples) and re-arms running sessions. */
  setInterval(ms: number): void {
    this.intervalMs = ms;
    this.resume();
  }

  /** Re-arms the samples of every running session, after {@link dispose} or an interval change. */
  resume(): void {
    for (const connector of this.bank.all()) if (connector.transaction) this.arm(connector);
  }

  /** Clears every sample timer. */
  dispose(): void {
    for (const connector of this.bank.all()) this.disarm(connector);
  }
}
