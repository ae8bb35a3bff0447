/** The measurands whose units CIMORINGS normalizes (CONTRACT section 4). */
export const ENERGY = 'Energy.Active.Import.Register';
export const POWER = 'Power.Active.Import';
export const SOC = 'SoC';

/** A sampled value as OCPP 1.6 sends it (§7.43 SampledValue): every field but `value` optional. */
export interface SampledValueInput {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
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
 * @throws RangeError when a raw value is not a number.
 */
export function normalizeSample(input: SampledValueInput): Sample | null {
  if (input.format === 'SignedData') return null;
  const measurand = input.measurand ?? ENERGY;
  const raw = Number(input.value.trim());
  if (input.value.trim() === '' || !Number.isFinite(raw)) {
    throw new RangeError(`sampled value "${input.value}" of ${measurand} is not a number`);
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
    return { ...base, value: round(raw * conversion.factor), unit: conversion.unit };
  }
  if (measurand === SOC) return { ...base, value: raw, unit: 'Percent' };
  return { ...base, value: raw, unit: input.unit ?? null };
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
