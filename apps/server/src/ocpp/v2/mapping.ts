import type { v201 } from '@cimorings/ocpp';
import { DEFAULT_ATTRIBUTE_TYPE, type StationVariable } from '../../domain/device-model.js';
import type { MeterReading } from '../../domain/meter.js';
import type { TransactionEventInput } from '../../domain/transaction-event.js';
import type { IdTokenDecision } from '../../services/transaction-event.service.js';

/**
 * A 2.x connector status as the station object shows it (CONTRACT section 7): the status as
 * sent, and `errorCode` `OtherError` when Faulted (2.x reports no error code), else `NoError`.
 */
export function connectorStatusOf(status: string): {
  status: string;
  errorCode: string;
} {
  return { status, errorCode: status === 'Faulted' ? 'OtherError' : 'NoError' };
}

/** Every attribute of a NotifyReport part, one per variable attribute. */
export function reportedVariables(reportData: readonly v201.ReportDataType[]): StationVariable[] {
  return reportData.flatMap(({ component, variable, variableAttribute, variableCharacteristics }) =>
    variableAttribute.map((attribute) => ({
      ...whereIs(component, variable),
      attributeType: attribute.type ?? DEFAULT_ATTRIBUTE_TYPE,
      value: attribute.value ?? null,
      mutability: attribute.mutability ?? null,
      dataType: variableCharacteristics?.dataType ?? null,
      unit: variableCharacteristics?.unit ?? null,
    })),
  );
}

/**
 * A 2.x meter value as the readings the services read: the number as text (as 1.6 sends it)
 * scaled by its unit's power-of-ten multiplier, the unit by name.
 */
export function readingsOf(meterValues: readonly v201.MeterValueType[]): MeterReading[] {
  return meterValues.map((meterValue) => ({
    timestamp: meterValue.timestamp,
    samples: meterValue.sampledValue.map((sampled) => {
      const multiplier = sampled.unitOfMeasure?.multiplier ?? 0;
      const value = multiplier === 0 ? sampled.value : sampled.value * 10 ** multiplier;
      return {
        value: String(value),
        ...(sampled.context !== undefined && { context: sampled.context }),
        ...(sampled.measurand !== undefined && { measurand: sampled.measurand }),
        ...(sampled.phase !== undefined && { phase: sampled.phase }),
        ...(sampled.location !== undefined && { location: sampled.location }),
        ...(sampled.unitOfMeasure?.unit !== undefined && { unit: sampled.unitOfMeasure.unit }),
      };
    }),
  }));
}

/** An id tag's decision as 2.x IdTokenInfo: the expiry as the cache's, the parent as the group. */
export function idTokenInfoOf(decision: IdTokenDecision): v201.IdTokenInfoType {
  return {
    status: decision.status,
    ...(decision.expiryDate !== undefined && { cacheExpiryDateTime: decision.expiryDate }),
    ...(decision.group && {
      groupIdToken: { idToken: decision.group.idTag, type: decision.group.type as v201.IdTokenEnumType },
    }),
  };
}

/** A TransactionEvent as the domain input of TransactionEventService. */
export function transactionEventOf(p: v201.TransactionEventRequest): TransactionEventInput {
  const info = p.transactionInfo;
  return {
    ocppTransactionId: info.transactionId,
    eventType: p.eventType,
    seqNo: p.seqNo,
    timestamp: p.timestamp,
    triggerReason: p.triggerReason,
    offline: p.offline ?? false,
    ...(p.evse !== undefined && { connectorId: p.evse.id }),
    // NoAuthorization (a start button, a key) identifies nobody: its idToken is left empty, and
    // deciding on it would answer Invalid and stop a session the station may run unauthorized.
    ...(p.idToken !== undefined && p.idToken.type !== 'NoAuthorization' && { idTag: p.idToken.idToken }),
    ...(info.chargingState !== undefined && { chargingState: info.chargingState }),
    ...(info.stoppedReason !== undefined && { stoppedReason: info.stoppedReason }),
    ...(p.reservationId !== undefined && { reservationId: p.reservationId }),
    readings: readingsOf(p.meterValue ?? []),
  };
}

/** What NotifyEvent tells of variables' actual values, as device model attributes. */
export function eventVariables(eventData: readonly v201.EventDataType[]): StationVariable[] {
  return eventData.map(({ component, variable, actualValue }) => ({
    ...whereIs(component, variable),
    attributeType: DEFAULT_ATTRIBUTE_TYPE,
    value: actualValue,
    mutability: null,
    dataType: null,
    unit: null,
  }));
}

/** The component and variable of a device model attribute. */
function whereIs(
  component: v201.ComponentType,
  variable: v201.VariableType,
): Pick<
  StationVariable,
  'component' | 'componentInstance' | 'evseId' | 'connectorId' | 'variable' | 'variableInstance'
> {
  return {
    component: component.name,
    componentInstance: component.instance ?? null,
    evseId: component.evse?.id ?? null,
    connectorId: component.evse?.connectorId ?? null,
    variable: variable.name,
    variableInstance: variable.instance ?? null,
  };
}
