/**
 * The OCPP-J payloads a lean bench station sends, per protocol, built as JSON text (no schema
 * validation, no objects on the hot path). The 2.0.1 ones are those of a real 2.0.1 station
 * doing the same as a 1.6 one: BootNotification, a transaction opened with TransactionEvent
 * Started, and periodic meter values in TransactionEvent Updated (where a 2.0.1 station sends
 * them), each with the same three sampled values as the 1.6 MeterValues.
 */

/** The protocols a bench station speaks. */
export const BENCH_PROTOCOLS = ['1.6', '2.0.1'] as const;
export type BenchProtocol = (typeof BENCH_PROTOCOLS)[number];

/** What `--protocol` takes: one protocol for the whole fleet, or `mixed` (half 1.6, half 2.0.1). */
export type FleetProtocol = BenchProtocol | 'mixed';
export const FLEET_PROTOCOLS: readonly FleetProtocol[] = [...BENCH_PROTOCOLS, 'mixed'];

/** The protocol of the `index`-th station of a fleet: in a mixed fleet even ones 1.6, odd ones 2.0.1. */
export function protocolOf(fleet: FleetProtocol, index: number): BenchProtocol {
  if (fleet !== 'mixed') return fleet;
  return index % 2 === 0 ? '1.6' : '2.0.1';
}

/** A call to send: its action and its payload as JSON text. */
export interface BenchCall {
  action: string;
  payload: string;
}

export function bootCall(protocol: BenchProtocol, id: string): BenchCall {
  const payload =
    protocol === '1.6'
      ? { chargePointVendor: 'CIMORINGS', chargePointModel: 'BenchLoad', chargePointSerialNumber: id }
      : {
          reason: 'PowerUp',
          chargingStation: { vendorName: 'CIMORINGS', model: 'BenchLoad', serialNumber: id },
        };
  return { action: 'BootNotification', payload: JSON.stringify(payload) };
}

/** Opens a transaction on a connector (1.6) or EVSE (2.0.1); `transactionId` is the station's own for 2.0.1. */
export function startCall(
  protocol: BenchProtocol,
  connectorId: number,
  idTag: string,
  transactionId: string,
): BenchCall {
  const timestamp = new Date().toISOString();
  if (protocol === '1.6') {
    return {
      action: 'StartTransaction',
      payload: JSON.stringify({ connectorId, idTag, meterStart: 0, timestamp }),
    };
  }
  return {
    action: 'TransactionEvent',
    payload: JSON.stringify({
      eventType: 'Started',
      timestamp,
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId, chargingState: 'Charging' },
      evse: { id: connectorId, connectorId: 1 },
      idToken: { idToken: idTag, type: 'ISO14443' },
      meterValue: [
        {
          timestamp,
          sampledValue: [
            { value: 0, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' },
          ],
        },
      ],
    }),
  };
}

/**
 * The transaction id a start answer gives: 1.6 StartTransaction.conf's integer; for 2.0.1 the
 * station's own id, once the CSMS accepted the token (no `idTokenInfo`, or one Accepted).
 */
export function startedTransaction(
  protocol: BenchProtocol,
  answer: string,
  own: string,
): number | string | undefined {
  if (protocol === '1.6') {
    const id = /"transactionId":(\d+)/.exec(answer)?.[1];
    return id === undefined ? undefined : Number(id);
  }
  const status = /"idTokenInfo":\{"status":"(\w+)"/.exec(answer)?.[1];
  return status === undefined || status === 'Accepted' ? own : undefined;
}

/** One periodic sample: energy (Wh), power (W) and SoC, stamped with `epochMs`. */
export function meterCall(
  protocol: BenchProtocol,
  connectorId: number,
  transactionId: number | string,
  seqNo: number,
  epochMs: number,
  energyWh: number,
): BenchCall {
  const timestamp = new Date(epochMs).toISOString();
  if (protocol === '1.6') {
    return {
      action: 'MeterValues',
      payload:
        `{"connectorId":${connectorId},"transactionId":${transactionId},"meterValue":[{"timestamp":"${timestamp}",` +
        `"sampledValue":[{"value":"${energyWh}","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unit":"Wh"},` +
        `{"value":"11000","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},` +
        `{"value":"55","context":"Sample.Periodic","measurand":"SoC","unit":"Percent"}]}]}`,
    };
  }
  return {
    action: 'TransactionEvent',
    payload:
      `{"eventType":"Updated","timestamp":"${timestamp}","triggerReason":"MeterValuePeriodic","seqNo":${seqNo},` +
      `"transactionInfo":{"transactionId":"${transactionId}","chargingState":"Charging"},"meterValue":[{"timestamp":"${timestamp}",` +
      `"sampledValue":[{"value":${energyWh},"context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}},` +
      `{"value":11000,"context":"Sample.Periodic","measurand":"Power.Active.Import","unitOfMeasure":{"unit":"W"}},` +
      `{"value":55,"context":"Sample.Periodic","measurand":"SoC","location":"EV","unitOfMeasure":{"unit":"Percent"}}]}]}`,
  };
}

/**
 * A connector's status told again while it charges (1.6 StatusNotification Charging, 2.0.1
 * StatusNotification Occupied), stamped with `epochMs`: the fan-out scenario's event that is not
 * a meter value.
 */
export function statusCall(protocol: BenchProtocol, connectorId: number, epochMs: number): BenchCall {
  const timestamp = new Date(epochMs).toISOString();
  return {
    action: 'StatusNotification',
    payload:
      protocol === '1.6'
        ? `{"connectorId":${connectorId},"status":"Charging","errorCode":"NoError","timestamp":"${timestamp}"}`
        : `{"timestamp":"${timestamp}","connectorStatus":"Occupied","evseId":${connectorId},"connectorId":1}`,
  };
}

/** Sampled values in each periodic sample. */
export const SAMPLES_PER_METER_VALUES = 3;
