import type { StationVariable } from './api';

/** The variables of one component (of one EVSE and connector, when it belongs to one). */
export interface VariableGroup {
  /** Unique per group: component, instance, EVSE and connector. */
  key: string;
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variables: StationVariable[];
}

/**
 * Groups a station's variables by component, station-wide components first (by name), then
 * those of each EVSE and connector in number order; variables by name within a group. A 1.6
 * station's configuration keys make one group, "OCPP16".
 */
export function groupVariables(variables: readonly StationVariable[]): VariableGroup[] {
  const groups = new Map<string, VariableGroup>();
  for (const variable of variables) {
    const { component, componentInstance, evseId, connectorId } = variable;
    const key = [component, componentInstance ?? '', evseId ?? '', connectorId ?? ''].join('|');
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        component,
        variables: [],
        ...(componentInstance !== undefined && { componentInstance }),
        ...(evseId !== undefined && { evseId }),
        ...(connectorId !== undefined && { connectorId }),
      };
      groups.set(key, group);
    }
    group.variables.push(variable);
  }
  const order = (g: VariableGroup): [number, number, number, string] => [
    g.evseId === undefined ? 0 : 1,
    g.evseId ?? 0,
    g.connectorId ?? 0,
    `${g.component}|${g.componentInstance ?? ''}`,
  ];
  const sorted = [...groups.values()].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3].localeCompare(y[3]);
  });
  for (const group of sorted) group.variables.sort((a, b) => a.variable.localeCompare(b.variable));
  return sorted;
}

/** Whether the dashboard may offer to change a variable: anything not read-only. */
export function isWritable(variable: StationVariable): boolean {
  return variable.mutability !== 'ReadOnly';
}

/** The change that sets `variable` to `value`, naming it as the station does. */
export function changeOf(variable: StationVariable, value: string) {
  const { component, componentInstance, evseId, connectorId, variable: name, variableInstance } = variable;
  return {
    component,
    variable: name,
    value,
    ...(componentInstance !== undefined && { componentInstance }),
    ...(variableInstance !== undefined && { variableInstance }),
    ...(evseId !== undefined && { evseId }),
    ...(connectorId !== undefined && { connectorId }),
    ...(variable.attributeType !== 'Actual' && { attributeType: variable.attributeType as 'Target' }),
  };
}
