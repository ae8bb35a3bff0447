import type { V2CsmsAction } from '@cimorings/contracts';
import type { v201 } from '@cimorings/ocpp';
import type {
  CommandChannel,
  VariableChange,
  VariableReading,
  VariableRef,
  VariableSetResult,
} from '../../services/charge-point-commands.js';

/** One OCPP 2.0.1 message sent to the station, answering the station's answer. */
export type V2Call = <A extends V2CsmsAction>(
  action: A,
  payload: v201.Request<A>,
) => Promise<v201.Response<A>>;

/**
 * Sends one OCPP 2.0.1 message; strict mode has checked the answer against its schema. A 2.1
 * station answers with the 2.1 schema, a superset of these fields.
 */
export function caller(send: CommandChannel): V2Call {
  return async <A extends V2CsmsAction>(action: A, payload: v201.Request<A>) =>
    (await send(action, payload)) as v201.Response<A>;
}

/*
 * GetVariables and SetVariables (OCPP 2.0.1 B06, B05): how a variable the API names is named in
 * them, and how the station's results are matched back to what was asked.
 */

/** The component of a variable, with its EVSE (and connector) when it has one. */
function componentOf(ref: VariableRef): v201.ComponentType {
  return {
    name: ref.component,
    ...(ref.componentInstance !== undefined && { instance: ref.componentInstance }),
    ...(ref.evseId !== undefined && {
      evse: { id: ref.evseId, ...(ref.connectorId !== undefined && { connectorId: ref.connectorId }) },
    }),
  };
}

function variableOf(ref: VariableRef): v201.VariableType {
  return {
    name: ref.variable,
    ...(ref.variableInstance !== undefined && { instance: ref.variableInstance }),
  };
}

/** A variable's component, name and attribute, as GetVariables and SetVariables name them. */
function variableDataOf(ref: VariableRef): v201.GetVariableDataType {
  return {
    component: componentOf(ref),
    variable: variableOf(ref),
    ...(ref.attributeType !== undefined && { attributeType: ref.attributeType as v201.AttributeEnumType }),
  };
}

/** A variable as the station named it in an answer. */
function refOf(component: v201.ComponentType, variable: v201.VariableType): VariableRef {
  return {
    component: component.name,
    ...(component.instance !== undefined && { componentInstance: component.instance }),
    ...(component.evse && { evseId: component.evse.id }),
    ...(component.evse?.connectorId !== undefined && { connectorId: component.evse.connectorId }),
    variable: variable.name,
    ...(variable.instance !== undefined && { variableInstance: variable.instance }),
  };
}

/**
 * The port over an OCPP 2.0.1 or 2.1 charging station. A connector of the station object is an
 * EVSE (CONTRACT section 7): `connectorId` is the `evseId`, 0 the whole station.
 */

export async function getVariables(call: V2Call, refs: readonly VariableRef[]): Promise<VariableReading[]> {
  const [first, ...rest] = refs.map(variableDataOf);
  if (!first) return [];
  const answer = await call('GetVariables', { getVariableData: [first, ...rest] });
  return answer.getVariableResult.map((result) => ({
    ...refOf(result.component, result.variable),
    attributeType: result.attributeType ?? 'Actual',
    value: result.attributeValue ?? null,
    mutability: null,
    attributeStatus: result.attributeStatus,
  }));
}

/**
 * SetVariables (OCPP 2.0.1 B05) in one message. The station answers each variable in a result
 * of its own, not necessarily in order: each change gets the result naming its variable.
 */
export async function setVariables(
  call: V2Call,
  changes: readonly VariableChange[],
): Promise<VariableSetResult[]> {
  const [first, ...rest] = changes.map((change): v201.SetVariableDataType => ({
    ...variableDataOf(change),
    attributeValue: change.value,
  }));
  if (!first) return [];
  const answer = await call('SetVariables', { setVariableData: [first, ...rest] });
  const unused = [...answer.setVariableResult];
  return changes.map((change) => {
    const { value: _value, ...ref } = change;
    const attributeType = change.attributeType ?? 'Actual';
    const index = unused.findIndex(
      (result) =>
        sameVariable(refOf(result.component, result.variable), ref) &&
        (result.attributeType ?? 'Actual') === attributeType,
    );
    const [result] = index >= 0 ? unused.splice(index, 1) : [];
    // A station that leaves a variable out of its answer did not accept its change.
    return { ...ref, attributeType, attributeStatus: result?.attributeStatus ?? 'Rejected' };
  });
}

function sameVariable(a: VariableRef, b: VariableRef): boolean {
  return (
    a.component === b.component &&
    a.componentInstance === b.componentInstance &&
    a.evseId === b.evseId &&
    a.connectorId === b.connectorId &&
    a.variable === b.variable &&
    a.variableInstance === b.variableInstance
  );
}
