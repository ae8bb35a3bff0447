import type { v16 } from '@cimorings/ocpp';

/** What a connector's meter shows at one moment. */
export interface MeterReading {
  /** Energy import register, Wh; it only ever grows. */
  energyWh: number;
  /** Power drawn right now, W. */
  powerW: number;
  /** State of charge of the plugged-in EV in percent, or `undefined` when no EV is charging. */
  soc: number | undefined;
}

/** Above this state of charge the simulated EV draws less and less power, as real batteries do. */
const TAPER_FROM_SOC = 80;
/** Share of full power the EV still draws just before it is full. */
const MIN_TAPER = 0.1;

/**
 * One connector's energy meter together with the EV plugged into it. Energy is integrated
 * lazily from the elapsed wall-clock time whenever someone reads the meter, so an idle
 * simulator costs nothing between samples.
 */
export class ConnectorMeter {
  private energyWh: number;
  private soc: number | undefined;
  private charging = false;
  private lastUpdateMs = 0;
  /** The charging limit in force at a moment (epoch ms), W; none until `limitBy` is called. */
  private limitAt: (now: number) => number = () => Infinity;

  constructor(
    private readonly maxPowerW: number,
    private readonly capacityWh: number,
    initialEnergyWh: number,
  ) {
    this.energyWh = initialEnergyWh;
  }

  /**
   * Caps the power at the limit in force (the charging profiles the charge point accepted).
   * The limit is read whenever the meter advances: a change is applied from the read before it.
   */
  limitBy(limitAt: (now: number) => number): void {
    this.limitAt = limitAt;
  }

  /** An EV at `soc` percent is plugged in and starts charging at `now` (epoch ms). */
  startCharging(soc: number, now: number): void {
    this.soc = soc;
    this.charging = true;
    this.lastUpdateMs = now;
  }

  /** Charging ends and the EV is unplugged; the register keeps its value. */
  stopCharging(now: number): MeterReading {
    const reading = this.read(now);
    this.charging = false;
    this.soc = undefined;
    return { ...reading, powerW: 0 };
  }

  /** Whether the plugged-in EV's battery is full. */
  get isFull(): boolean {
    return this.soc !== undefined && this.soc >= 100;
  }

  /** Advances the meter to `now` (epoch ms) and returns what it shows. */
  read(now: number): MeterReading {
    if (this.charging && this.soc !== undefined && now > this.lastUpdateMs) {
      const hours = (now - this.lastUpdateMs) / 3_600_000;
      const roomWh = ((100 - this.soc) / 100) * this.capacityWh;
      const addedWh = Math.min(this.powerFor(this.soc, now) * hours, roomWh);
      this.energyWh += addedWh;
      this.soc = Math.min(100, this.soc + (addedWh / this.capacityWh) * 100);
    }
    this.lastUpdateMs = Math.max(this.lastUpdateMs, now);
    const powerW = this.charging && this.soc !== undefined ? this.powerFor(this.soc, now) : 0;
    return { energyWh: this.energyWh, powerW, soc: this.soc };
  }

  /** The register rounded to whole Wh, as `meterStart` and `meterStop` require integers. */
  registerWh(now: number): number {
    return Math.round(this.read(now).energyWh);
  }

  /** What the EV draws at `soc`: its own curve, within the limit in force at `now`. */
  private powerFor(soc: number, now: number): number {
    if (soc >= 100) return 0;
    const curve =
      soc < TAPER_FROM_SOC
        ? this.maxPowerW
        : this.maxPowerW * Math.max(MIN_TAPER, (100 - soc) / (100 - TAPER_FROM_SOC));
    return Math.max(0, Math.min(curve, this.limitAt(now)));
  }
}

/**
 * Turns a reading into one OCPP MeterValue with the wanted measurands: the energy register in
 * Wh, power in W and, with an EV charging, its SoC in percent (OCPP 1.6 section 4.7).
 */
export function toMeterValue(
  reading: MeterReading,
  context: v16.ReadingContext,
  timestamp: string,
  measurands: readonly v16.Measurand[],
): v16.MeterValue {
  const sampledValue: v16.SampledValue[] = [];
  for (const measurand of measurands) {
    if (measurand === 'Energy.Active.Import.Register') {
      const value = String(Math.round(reading.energyWh));
      sampledValue.push({ value, context, measurand, location: 'Outlet', unit: 'Wh' });
    } else if (measurand === 'Power.Active.Import') {
      const value = String(Math.round(reading.powerW));
      sampledValue.push({ value, context, measurand, location: 'Outlet', unit: 'W' });
    } else if (reading.soc !== undefined) {
      const value = String(Math.round(reading.soc * 10) / 10);
      sampledValue.push({ value, context, measurand, location: 'EV', unit: 'Percent' });
    }
  }
  return { timestamp, sampledValue };
}
