import type { V2CsmsAction } from '@cimorings/contracts';
import type { v201 } from '@cimorings/ocpp';
import type {
  CommandChannel,
  PartAnswered,
  VariableChange,
  VariableReading,
  VariableRef,
  VariableSetResult,
} from '../../services/charge-point-commands.js';
import { type LimitedMessage, type MessageLimits, partsOf } from '../../domain/message-limits.js';
import { AppError } from '../../errors.js';

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

/**
 * GetVariables (OCPP 2.0.1 B06), in as many messages as the station's limits need (B06.FR.05),
 * sent one after another; the readings come in the order of the parts.
 * @throws AppError VALIDATION_ERROR (nothing sent) when one variable alone is larger than the
 * station takes; the error of the first part that fails (later parts are not sent).
 */
export async function getVariables(
  call: V2Call,
  refs: readonly VariableRef[],
  limits: MessageLimits = {},
): Promise<VariableReading[]> {
  const readings: VariableReading[] = [];
  for (const [first, ...rest] of split('GetVariables', refs.map(variableDataOf), limits)) {
    if (!first) continue;
    const answer = await call('GetVariables', { getVariableData: [first, ...rest] });
    readings.push(
      ...answer.getVariableResult.map((result) => ({
        ...refOf(result.component, result.variable),
        attributeType: result.attributeType ?? 'Actual',
        value: result.attributeValue ?? null,
        mutability: null,
        attributeStatus: result.attributeStatus,
      })),
    );
  }
  return readings;
}

/**
 * SetVariables (OCPP 2.0.1 B05), in as many messages as the station's limits need, sent one
 * after another; `answered` hears the results of each part as it is answered. The station answers
 * each variable in a result of its own, not necessarily in order: each change gets the result
 * naming its variable, and the results come in the order of the changes.
 * @throws AppError VALIDATION_ERROR (nothing sent) when one change alone is larger than the
 * station takes; the error of the first part that fails (later parts are not sent).
 */
export async function setVariables(
  call: V2Call,
  changes: readonly VariableChange[],
  limits: MessageLimits = {},
  answered: PartAnswered = async () => {},
): Promise<VariableSetResult[]> {
  const parts = split('SetVariables', changes, limits, setDataOf);
  const results: VariableSetResult[] = [];
  for (const part of parts) {
    const [first, ...rest] = part.map(setDataOf);
    if (!first) continue;
    const answer = await call('SetVariables', { setVariableData: [first, ...rest] });
    const partResults = matchResults(part, answer.setVariableResult);
    results.push(...partResults);
    await answered(partResults);
  }
  return results;
}

function setDataOf(change: VariableChange): v201.SetVariableDataType {
  return { ...variableDataOf(change), attributeValue: change.value };
}

/** Each change's result among the station's answer to the message that carried it. */
function matchResults(
  changes: readonly VariableChange[],
  answer: readonly v201.SetVariableResultType[],
): VariableSetResult[] {
  const unused = [...answer];
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

/** A message id as ocpp-rpc makes them (a UUID), for the size of a frame. */
const MESSAGE_ID = '00000000-0000-0000-0000-000000000000';

/** The size in bytes of the OCPP-J CALL frame of `action` carrying `items` as its list. */
function frameBytes(action: LimitedMessage, items: readonly unknown[]): number {
  const list = action === 'GetVariables' ? 'getVariableData' : 'setVariableData';
  return Buffer.byteLength(JSON.stringify([2, MESSAGE_ID, action, { [list]: items }]));
}

/**
 * `items` in parts the station's limits allow for `action`; `dataOf` gives the list element
 * that carries an item.
 * @throws AppError VALIDATION_ERROR when one item alone is larger than the station takes.
 */
function split<T>(
  action: LimitedMessage,
  items: readonly T[],
  limits: MessageLimits,
  dataOf: (item: T) => unknown = (item) => item,
): T[][] {
  const bytesOf = (part: readonly T[]) => frameBytes(action, part.map(dataOf));
  const parts = partsOf(items, limits, bytesOf);
  if (limits.bytes !== undefined && parts.some((part) => bytesOf(part) > limits.bytes!)) {
    throw new AppError(
      'VALIDATION_ERROR',
      `One variable alone makes a ${action} larger than the ${limits.bytes} bytes the station takes`,
    );
  }
  return parts;
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
