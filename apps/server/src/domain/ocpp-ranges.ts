/**
 * The ranges a charge point's numbers must fall in before anything is stored. The official
 * OCPP 1.6 schemas only say "integer": a schema-valid message may carry 2^63, −5 or 1.7e308.
 * Each check throws a RangeError naming the field; services answer it with the CallError
 * `PropertyConstraintViolation` (OCPP-J 1.6 §4.2.3: a field holds a value it may not).
 */
import { MAX_CONNECTOR_ID } from '@cimorings/contracts';

export { MAX_CONNECTOR_ID };

/**
 * The largest energy register accepted, in Wh: 1 TWh. A 350 kW charger running without pause
 * for 30 years registers about 92 GWh, so a real meter stays an order of magnitude below it, and
 * sums of many registers stay exact in a double (below 2^53).
 */
export const MAX_ENERGY_REGISTER_WH = 1e12;

/**
 * Ids (transactionId, reservationId) a charge point sends are stored as they are, also unknown
 * ones (a StopTransaction is always stored), in 64-bit columns. Beyond 2^53−1 the number the
 * server parsed from JSON is no longer the one the charge point wrote, so it is refused.
 */
export function checkOcppId(id: number, field: string): void {
  if (!Number.isSafeInteger(id)) {
    throw new RangeError(`${field} ${id} is outside −(2^53−1)..2^53−1`);
  }
}

/** A connector id: 0 (the charge point) or 1 (a connector proper) up to MAX_CONNECTOR_ID. */
export function checkConnectorId(connectorId: number, field: string, lowest: 0 | 1): void {
  if (!Number.isInteger(connectorId) || connectorId < lowest || connectorId > MAX_CONNECTOR_ID) {
    throw new RangeError(`${field} ${connectorId} must be ${lowest}..${MAX_CONNECTOR_ID}`);
  }
}

/** An energy register in Wh (meterStart, meterStop): finite, 0..MAX_ENERGY_REGISTER_WH. */
export function checkEnergyRegister(wh: number, field: string): void {
  if (!isPlausibleRegister(wh)) {
    throw new RangeError(`${field} ${wh} Wh must be 0..${MAX_ENERGY_REGISTER_WH}`);
  }
}

/** Whether a stored energy register (Wh) is one a meter can show; older rows may hold anything. */
export function isPlausibleRegister(wh: number | null): wh is number {
  return wh !== null && Number.isFinite(wh) && wh >= 0 && wh <= MAX_ENERGY_REGISTER_WH;
}
