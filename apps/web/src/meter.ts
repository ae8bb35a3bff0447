import { MEASURANDS } from '@cimorings/contracts';
import type { MeterValue } from './api';

export const { energy: ENERGY, power: POWER, soc: SOC } = MEASURANDS;

/** Series of one transaction for a chart: epoch seconds and values (null where not sampled). */
export interface MeterSeries {
  t: number[];
  /** kWh delivered since the first energy reading (or meterStart). */
  energyKwh: (number | null)[];
  powerKw: (number | null)[];
  soc: (number | null)[];
}

/**
 * Turns a transaction's meter values (one row per sampled value, energy in Wh, power in kW,
 * SoC in %) into aligned series, one point per timestamp. Phase values are left out when a
 * total (no phase) is there.
 */
export function meterSeries(values: readonly MeterValue[], meterStart: number | null): MeterSeries {
  const byTime = new Map<number, { energy?: number; power?: number; soc?: number }>();
  for (const value of values) {
    if (value.phase || value.value === null) continue;
    const t = Math.floor(Date.parse(value.timestamp) / 1000);
    if (Number.isNaN(t)) continue;
    const point = byTime.get(t) ?? {};
    if (value.measurand === ENERGY) point.energy = value.value;
    else if (value.measurand === POWER) point.power = value.value;
    else if (value.measurand === SOC) point.soc = value.value;
    else continue;
    byTime.set(t, point);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  // An older transaction may have no meterStart: its energy counts from the first reading.
  const base =
    meterStart ?? times.map((t) => byTime.get(t)?.energy).find((energy) => energy !== undefined) ?? 0;
  const series: MeterSeries = { t: [], energyKwh: [], powerKw: [], soc: [] };
  for (const t of times) {
    const point = byTime.get(t) ?? {};
    series.t.push(t);
    series.energyKwh.push(point.energy === undefined ? null : round((point.energy - base) / 1000, 3));
    series.powerKw.push(point.power ?? null);
    series.soc.push(point.soc ?? null);
  }
  return series;
}

/** The latest energy (Wh), power (kW) and SoC (%) among meter values. */
export function latestReadings(values: readonly MeterValue[]): {
  energy: number | null;
  power: number | null;
  soc: number | null;
  timestamp: string | null;
} {
  const latest = { energy: null as number | null, power: null as number | null, soc: null as number | null };
  let timestamp: string | null = null;
  const sorted = [...values]
    .filter((v) => !v.phase && v.value !== null)
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  for (const value of sorted) {
    if (value.measurand === ENERGY) latest.energy = value.value;
    else if (value.measurand === POWER) latest.power = value.value;
    else if (value.measurand === SOC) latest.soc = value.value;
    else continue;
    timestamp = value.timestamp;
  }
  return { ...latest, timestamp };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
