/**
 * One attribute of a station's device model (OCPP 2.0.1 part 1 §4): a variable of a component,
 * located on an EVSE (and one of its connectors) or on the station as a whole, with one of its
 * attribute types. For a 1.6 station the same shape holds its configuration keys (component
 * `OCPP16`). Absent parts are null.
 */
export interface StationVariable {
  component: string;
  componentInstance: string | null;
  evseId: number | null;
  connectorId: number | null;
  variable: string;
  variableInstance: string | null;
  /** Actual, Target, MinSet or MaxSet. */
  attributeType: string;
  value: string | null;
  /** ReadOnly, WriteOnly or ReadWrite; null when not reported. */
  mutability: string | null;
  dataType: string | null;
  unit: string | null;
}

/** The attribute type a report or a change means when it names none (OCPP 2.0.1: Actual). */
export const DEFAULT_ATTRIBUTE_TYPE = 'Actual';

/** What narrows a device model listing. */
export interface StationVariableFilter {
  component?: string;
  variable?: string;
  evseId?: number;
}

/** The identity of an attribute: two reports of the same identity are the same attribute. */
export function variableKey(v: Omit<StationVariable, 'value' | 'mutability' | 'dataType' | 'unit'>): string {
  return JSON.stringify([
    v.component,
    v.componentInstance,
    v.evseId,
    v.connectorId,
    v.variable,
    v.variableInstance,
    v.attributeType,
  ]);
}
