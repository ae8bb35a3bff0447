import type { v201 } from '@cimorings/ocpp';
import type { VariableSpec } from './device-model-catalogue.js';

/** Where a variable sits: its component (with EVSE and connector, when it has them) and its name. */
export interface VariableAddress {
  component: v201.ComponentType;
  variable: v201.VariableType;
}

/** Told after a variable accepted a new value, with the component and variable names. */
export type VariableListener = (component: string, variable: string, value: string) => void;

type Report = v201.ReportDataType;

/**
 * The device model of a simulated OCPP 2.0.1 station (Part 1 "Device Model"; Part 2 B05 to B08):
 * the variables' Actual values, read with GetVariables and reports, changed with SetVariables.
 * Only the Actual attribute exists; values are checked against their data type before they are
 * taken.
 */
export class DeviceModel {
  private readonly specs: VariableSpec[];
  private readonly listeners: VariableListener[] = [];

  constructor(specs: readonly VariableSpec[]) {
    this.specs = specs.map((spec) => ({ ...spec }));
  }

  /** Calls `listener` after each accepted change. */
  onChange(listener: VariableListener): void {
    this.listeners.push(listener);
  }

  /** Every variable, in report order. */
  all(): readonly Readonly<VariableSpec>[] {
    return this.specs;
  }

  /** The Actual value of a station-level variable (no EVSE); throws for an unknown one. */
  value(component: string, variable: string): string {
    const spec = this.specs.find((s) => s.component === component && s.variable === variable && !s.evseId);
    if (!spec) throw new RangeError(`No variable ${component}.${variable}`);
    return spec.value;
  }

  /** An integer variable's value. */
  integer(component: string, variable: string): number {
    return Number.parseInt(this.value(component, variable), 10);
  }

  /** A boolean variable's value. */
  flag(component: string, variable: string): boolean {
    return this.value(component, variable) === 'true';
  }

  /** Sets a value from inside the station (a read-only one too), e.g. an EVSE's AvailabilityState. */
  update(component: string, variable: string, value: string, evseId?: number, connectorId?: number): void {
    for (const spec of this.specs) {
      if (spec.component !== component || spec.variable !== variable) continue;
      if (evseId !== undefined && spec.evseId !== evseId) continue;
      if (connectorId !== undefined && spec.connectorId !== connectorId) continue;
      spec.value = value;
    }
  }

  /** GetVariables for one item (B06). */
  get(item: v201.GetVariableDataType): v201.GetVariableResultType {
    const { base, found, refusal } = this.locate(item);
    if (!found) return { ...base, attributeStatus: refusal };
    if (found.mutability === 'WriteOnly') return { ...base, attributeStatus: 'Rejected' };
    return { ...base, attributeStatus: 'Accepted', attributeValue: found.value };
  }

  /** SetVariables for one item (B05): a read-only variable or a value of the wrong type is Rejected. */
  set(item: v201.SetVariableDataType): v201.SetVariableResultType {
    const { base, found, refusal } = this.locate(item);
    if (!found) return { ...base, attributeStatus: refusal };
    const problem =
      found.mutability === 'ReadOnly' ? 'the variable is read-only' : invalid(found, item.attributeValue);
    if (problem)
      return {
        ...base,
        attributeStatus: 'Rejected',
        attributeStatusInfo: { reasonCode: 'InvalidValue', additionalInfo: problem },
      };
    found.value = item.attributeValue;
    for (const listener of this.listeners) listener(found.component, found.variable, found.value);
    return { ...base, attributeStatus: 'Accepted' };
  }

  /**
   * The report data of GetBaseReport (B07): every variable for FullInventory, the writable ones
   * for ConfigurationInventory, the availability of each component for SummaryInventory.
   */
  baseReport(base: v201.ReportBaseEnumType): Report[] {
    const chosen = this.specs.filter((spec) =>
      base === 'FullInventory'
        ? true
        : base === 'ConfigurationInventory'
          ? spec.mutability !== 'ReadOnly'
          : spec.variable === 'AvailabilityState',
    );
    return chosen.map(toReport);
  }

  /**
   * The report data of GetReport (B08) for the asked components and variables (all when none
   * is named); the criteria are met by every component, which is always Enabled and Available.
   */
  customReport(wanted: readonly v201.ComponentVariableType[] | undefined): Report[] {
    if (!wanted) return this.specs.map(toReport);
    return this.specs
      .filter((spec) =>
        wanted.some(
          (w) =>
            w.component.name === spec.component &&
            (w.component.evse === undefined || w.component.evse.id === spec.evseId) &&
            (w.variable === undefined || w.variable.name === spec.variable),
        ),
      )
      .map(toReport);
  }

  /**
   * The part every Get/SetVariables result repeats from its item, and the variable the item
   * names; or, instead of the variable, why it is refused: unknown, or an attribute other than
   * Actual (the only one the simulator keeps).
   */
  private locate(item: v201.GetVariableDataType | v201.SetVariableDataType): Located {
    const attributeType = item.attributeType ?? 'Actual';
    const base = { component: item.component, variable: item.variable, attributeType };
    const found = this.find(item);
    if (typeof found === 'string') return { base, refusal: found };
    if (attributeType !== 'Actual') return { base, refusal: 'NotSupportedAttributeType' };
    return { base, found };
  }

  private find(address: VariableAddress): VariableSpec | 'UnknownComponent' | 'UnknownVariable' {
    const evseId = address.component.evse?.id;
    const connectorId = address.component.evse?.connectorId;
    const ofComponent = this.specs.filter(
      (s) =>
        s.component === address.component.name &&
        s.evseId === evseId &&
        (connectorId === undefined || s.connectorId === connectorId),
    );
    if (ofComponent.length === 0) return 'UnknownComponent';
    return ofComponent.find((s) => s.variable === address.variable.name) ?? 'UnknownVariable';
  }
}

/** What {@link DeviceModel.locate} finds: the variable, or why there is none to read or write. */
type Located = {
  base: { component: v201.ComponentType; variable: v201.VariableType; attributeType: v201.AttributeEnumType };
} & (
  | { found: VariableSpec; refusal?: never }
  | { found?: never; refusal: 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType' }
);

/** Why `value` does not fit the variable's data type, or undefined when it does. */
function invalid(spec: VariableSpec, value: string): string | undefined {
  switch (spec.dataType) {
    case 'integer':
      return /^-?\d{1,9}$/.test(value) && Number(value) >= 0 ? undefined : 'not a whole number of at least 0';
    case 'decimal':
      return Number.isFinite(Number(value)) && value.trim() !== '' ? undefined : 'not a number';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'not true or false';
    case 'dateTime':
      return Number.isNaN(Date.parse(value)) ? 'not a date and time' : undefined;
    case 'OptionList':
      return spec.valuesList?.split(',').includes(value) === false
        ? `not one of ${spec.valuesList}`
        : undefined;
    case 'MemberList':
    case 'SequenceList': {
      const allowed = spec.valuesList?.split(',');
      const members = value.split(',');
      return allowed && !members.every((m) => allowed.includes(m))
        ? `not members of ${spec.valuesList}`
        : undefined;
    }
    default:
      return undefined;
  }
}

function toReport(spec: VariableSpec): Report {
  const evse =
    spec.evseId === undefined
      ? {}
      : {
          evse: {
            id: spec.evseId,
            ...(spec.connectorId === undefined ? {} : { connectorId: spec.connectorId }),
          },
        };
  return {
    component: { name: spec.component, ...evse },
    variable: { name: spec.variable },
    variableAttribute: [
      {
        type: 'Actual',
        // A WriteOnly value (a password) is never reported.
        ...(spec.mutability === 'WriteOnly' ? {} : { value: spec.value }),
        mutability: spec.mutability,
        persistent: true,
        constant: false,
      },
    ],
    variableCharacteristics: {
      dataType: spec.dataType,
      supportsMonitoring: false,
      ...(spec.unit === undefined ? {} : { unit: spec.unit }),
      ...(spec.valuesList === undefined ? {} : { valuesList: spec.valuesList }),
    },
  };
}
