import type { v201 } from '@cimorings/ocpp';
import { DEFAULT_ATTRIBUTE_TYPE, type StationVariable } from '../../domain/device-model.js';

/**
 * A 2.x connector status as the station object shows it (CONTRACT section 7): the status as
 * sent, and `errorCode` `OtherError` when Faulted (2.x reports no error code), else `NoError`.
 */
export function connectorStatusOf(status: v201.ConnectorStatusEnumType): {
  status: string;
  errorCode: string;
} {
  return { status, errorCode: status === 'Faulted' ? 'OtherError' : 'NoError' };
}

/** Every attribute of a NotifyReport part, one per variable attribute. */
export function reportedVariables(reportData: readonly v201.ReportDataType[]): StationVariable[] {
  return reportData.flatMap(({ component, variable, variableAttribute, variableCharacteristics }) =>
    variableAttribute.map((attribute) => ({
      component: component.name,
      componentInstance: component.instance ?? null,
      evseId: component.evse?.id ?? null,
      connectorId: component.evse?.connectorId ?? null,
      variable: variable.name,
      variableInstance: variable.instance ?? null,
      attributeType: attribute.type ?? DEFAULT_ATTRIBUTE_TYPE,
      value: attribute.value ?? null,
      mutability: attribute.mutability ?? null,
      dataType: variableCharacteristics?.dataType ?? null,
      unit: variableCharacteristics?.unit ?? null,
    })),
  );
}
