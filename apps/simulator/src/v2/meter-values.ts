import type { v201 } from '@cimorings/ocpp';
import type { MeterReading } from '../meter.js';

/** Nominal phase voltage of the simulated three-phase AC supply, V. */
const VOLTAGE = 230;
const PHASES = 3;

/**
 * Turns a reading into one OCPP 2.0.1 MeterValue with the wanted measurands (a comma-separated
 * SampledDataCtrlr list, Part 2 J01 / J02): energy in Wh, power in W, current per phase in A,
 * voltage in V, and the EV's SoC in percent while it charges. Unknown measurands are skipped;
 * `undefined` when nothing was left to report.
 */
export function toMeterValue(
  reading: MeterReading,
  context: v201.ReadingContextEnumType,
  timestamp: string,
  measurands: string,
  offeredW: number,
): v201.MeterValueType | undefined {
  const sampled: v201.SampledValueType[] = [];
  const add = (
    measurand: v201.MeasurandEnumType,
    value: number,
    unit: string,
    location: v201.LocationEnumType,
  ) => sampled.push({ value, context, measurand, location, unitOfMeasure: { unit } });
  for (const measurand of measurands.split(',')) {
    if (measurand === 'Energy.Active.Import.Register')
      add(measurand, Math.round(reading.energyWh), 'Wh', 'Outlet');
    else if (measurand === 'Power.Active.Import') add(measurand, Math.round(reading.powerW), 'W', 'Outlet');
    else if (measurand === 'Current.Import')
      add(measurand, round1(reading.powerW / VOLTAGE / PHASES), 'A', 'Outlet');
    else if (measurand === 'Current.Offered')
      add(measurand, round1(offeredW / VOLTAGE / PHASES), 'A', 'Outlet');
    else if (measurand === 'Voltage') add(measurand, VOLTAGE, 'V', 'Outlet');
    else if (measurand === 'SoC' && reading.soc !== undefined)
      add(measurand, round1(reading.soc), 'Percent', 'EV');
  }
  const [first, ...rest] = sampled;
  return first ? { timestamp, sampledValue: [first, ...rest] } : undefined;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
