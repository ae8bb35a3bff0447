import { MEASURANDS } from '@cimorings/contracts';
import { MAX_ENERGY_REGISTER_WH } from './ocpp-ranges.js';

/** The measurands whose units CIMORINGS normalizes (CONTRACT section 4). */
export const { energy: ENERGY, power: POWER, soc: SOC } = MEASURANDS;

/**
 * One value of a meter reading as the charge point reported it, before it is read: the value is
 * text, as meters send it, and every other field may be missing (the measurand then defaults to
 * the energy register, see normalizeSample). `format: 'SignedData'` carries no number.
 */
export interface ReportedSample {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}

/** The values a charge point measured at one moment (its own clock's time, as it sent it). */
export interface MeterReading {
  timestamp: string;
  samples: readonly ReportedSample[];
}

/** A connector's meter readings, on their own or within a transaction the charge point names. */
export interface MeterReport {
  /** 0: the charge point's main meter. */
  connectorId: number;
  transactionId?: number;
  readings: readonly MeterReading[];
}

export interface Sample {
  measurand: string;
  value: number;
  unit: string | null;
  phase: string | null;
  location: string | null;
  context: string | null;
}

/** What a sample's unit is multiplied by to reach the stored unit. */
const CONVERSIONS: Record<string, Record<string, { factor: number; unit: string }>> = {
  [ENERGY]: { Wh: { factor: 1, unit: 'Wh' }, kWh: { factor: 1000, unit: 'Wh' } },
  [POWER]: { W: { factor: 0.001, unit: 'kW' }, kW: { factor: 1, unit: 'kW' } },
};

/** The unit OCPP 1.6 assumes when a sample names none (§7.43: unit defaults to Wh). */
const DEFAULT_UNIT = 'Wh';

/**
 * Normalizes one sampled value: a missing measurand is Energy.Active.Import.Register (the
 * specification's default), energy is kept in Wh (kWh converted), power in kW (W converted),
 * SoC in %. Signed values (`format: SignedData`) carry no number and give `null`; so does a
 * unit that makes no sense for its measurand, rather than a wrong number.
 * @throws RangeError when a raw value is not a decimal number, or not physically plausible for
 * its measurand (see plausibleRange).
 */
export function normalizeSample(input: ReportedSample): Sample | null {
  if (input.format === 'SignedData') return null;
  const measurand = input.measurand ?? ENERGY;
  const text = input.value.trim();
  // OCPP 1.6 §7.49 ValueFormat Raw: a decimal number. Number() alone would also read "0x1F" or "Infinity".
  const raw = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(raw)) {
    throw new RangeError(`sampled value "${input.value}" of ${measurand} is not a decimal number`);
  }
  const base = {
    measurand,
    phase: input.phase ?? null,
    location: input.location ?? null,
    context: input.context ?? null,
  };
  const conversions = CONVERSIONS[measurand];
  if (conversions) {
    const conversion = conversions[input.unit ?? (measurand === ENERGY ? DEFAULT_UNIT : 'W')];
    if (!conversion) return null;
    return checkPlausible({ ...base, value: round(raw * conversion.factor), unit: conversion.unit });
  }
  if (measurand === SOC) return checkPlausible({ ...base, value: raw, unit: 'Percent' });
  return checkPlausible({ ...base, value: raw, unit: input.unit ?? null });
}

/**
 * A decimal number, optionally signed, with an optional fraction and exponent. Each part starts
 * with its own character, so matching stays linear in the length of what a charge point sends.
 */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The highest power accepted, in W: 5 MW (the Megawatt Charging System's 3.75 MW, and margin). */
export const MAX_POWER_W = 5e6;
/** The highest current accepted, in A (MCS: 3,000 A). */
export const MAX_CURRENT_A = 5000;
/** The highest voltage accepted, in V (DC charging: up to 1,250 V). */
export const MAX_VOLTAGE_V = 2000;
/** What any other measurand's value may reach, in its own unit: finite and not absurd. */
const MAX_OTHER = 1e12;

/**
 * The physically plausible range of a measurand, in its base unit (Wh, varh, W, var, VA, A, V,
 * %, Hz, the temperature's unit). Energy registers and intervals never go below zero; power and
 * current may (export, measurement noise), within the same magnitude.
 */
function plausibleRange(measurand: string, unit: string | null): [number, number] {
  if (measurand.startsWith('Energy.')) return [0, MAX_ENERGY_REGISTER_WH];
  if (measurand === 'Power.Factor') return [-1, 1];
  if (measurand.startsWith('Power.')) return [-MAX_POWER_W, MAX_POWER_W];
  if (measurand.startsWith('Current.')) return [-MAX_CURRENT_A, MAX_CURRENT_A];
  if (measurand === 'Voltage') return [-MAX_VOLTAGE_V, MAX_VOLTAGE_V];
  if (measurand === SOC) return [0, 100];
  if (measurand === 'Frequency') return [0, 1000];
  if (measurand === 'Temperature') {
    // From absolute zero to 1,000 °C, in the unit sent (Celsius by default).
    if (unit === 'K') return [0, 1273.15];
    if (unit === 'Fahrenheit') return [-459.67, 1832];
    return [-273.15, 1000];
  }
  return [-MAX_OTHER, MAX_OTHER];
}

/**
 * The sample itself when its value is physically plausible for its measurand.
 * @throws RangeError otherwise (`1e308` kWh, SoC 250 %, −99,999 kW).
 */
function checkPlausible(sample: Sample): Sample {
  // kWh, kW, kvar, kvarh, kVA: a thousand of the base unit.
  const thousands = sample.unit?.startsWith('k') ?? false;
  const base = thousands ? sample.value * 1000 : sample.value;
  const [min, max] = plausibleRange(sample.measurand, sample.unit);
  if (!(base >= min && base <= max)) {
    const unit = sample.unit ?? '';
    const baseUnit = thousands ? unit.slice(1) : unit;
    throw new RangeError(
      `${sample.measurand} ${sample.value} ${unit} is not plausible: allowed ${min}..${max} ${baseUnit}`,
    );
  }
  return sample;
}

/** Removes binary floating-point noise (0.1 kWh × 1000 = 100.00000000000001). */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * The figures of `meter_values_updated` from one set of samples: the energy register (Wh),
 * power (kW) and SoC (%), each `null` when not sent. Phase-less values win over per-phase ones;
 * per-phase power is summed when no total is sent; readings at the outlet (the default location)
 * win over others, and SoC is taken wherever it was measured (chargers report it at the EV).
 */
export function summarize(samples: readonly Sample[]): {
  energy: number | null;
  power: number | null;
  soc: number | null;
} {
  const pick = (measurand: string, sumPhases: boolean): number | null => {
    const measured = samples.filter((s) => s.measurand === measurand);
    // The outlet's reading (the default location) wins; SoC comes from the EV, so any place will do.
    const atOutlet = measured.filter((s) => (s.location ?? 'Outlet') === 'Outlet');
    const all = atOutlet.length > 0 ? atOutlet : measured;
    const total = all.find((s) => s.phase === null);
    if (total) return total.value;
    const phases = all.filter((s) => s.phase !== null && !s.phase.includes('-N') && s.phase !== 'N');
    if (phases.length === 0) return null;
    return sumPhases ? round(phases.reduce((sum, s) => sum + s.value, 0)) : (phases[0]?.value ?? null);
  };
  return { energy: pick(ENERGY, false), power: pick(POWER, true), soc: pick(SOC, false) };
}
