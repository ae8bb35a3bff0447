import type { StationVariable } from '../domain/device-model.js';
import { isSecretName, REDACTED } from '../domain/ocpp-secrets.js';
import type { Station } from '../domain/station.js';
import type { Actor } from '../domain/user.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { VariableChange, VariableReading, VariableSetResult } from './charge-point-commands.js';
import type { CommandService } from './command.service.js';
import type { DeviceModelService } from './device-model.service.js';

/** A variable as the device model routes show it. */
export type VariableView = Omit<VariableReading, 'attributeStatus'>;

export interface VariableListFilter {
  component?: string;
}

/**
 * A station's device model as operators read and change it (CONTRACT section 7). A 2.x station
 * reports its model (NotifyReport), which is kept and read back from the store; a 1.6 station
 * reports nothing of itself, so its configuration keys are asked for (GetConfiguration) each
 * time, as variables of component "OCPP16". Changes go to the station in its own protocol
 * (SetVariables, or ChangeConfiguration per key), and a value it accepted replaces the kept one.
 */
export class StationVariablesService {
  constructor(
    private readonly commands: CommandService,
    private readonly deviceModel: DeviceModelService,
  ) {}

  /**
   * @throws AppError NOT_FOUND; for a 1.6 station also STATION_OFFLINE, STATION_TIMEOUT or
   * OCPP_CALL_ERROR.
   */
  async list(
    actor: Actor,
    chargePointId: string,
    page: PageRequest,
    filter: VariableListFilter,
  ): Promise<Page<VariableView>> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    if (keepsDeviceModel(station)) {
      const kept = await this.deviceModel.list(station.chargePointId, page, filter);
      return { items: kept.items.map(viewOf), total: kept.total };
    }
    const read = (await commands.getVariables([])).filter(
      (reading) =>
        reading.attributeStatus === 'Accepted' &&
        (filter.component === undefined || reading.component === filter.component),
    );
    return {
      items: read
        .slice(page.offset, page.offset + page.limit)
        .map(({ attributeStatus: _status, ...view }) => view),
      total: read.length,
    };
  }

  /**
   * Sends the changes and answers the station's status for each, in order.
   * @throws AppError NOT_FOUND, VALIDATION_ERROR (nothing sent), STATION_OFFLINE,
   * STATION_TIMEOUT or OCPP_CALL_ERROR.
   */
  async change(
    actor: Actor,
    chargePointId: string,
    changes: readonly VariableChange[],
  ): Promise<VariableSetResult[]> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    const results = await commands.setVariables(changes);
    if (keepsDeviceModel(station)) {
      const accepted = changes.filter((_change, index) => results[index]?.attributeStatus === 'Accepted');
      await this.deviceModel.storeReport(
        { stationId: station.id, chargePointId: station.chargePointId, registration: station.registration },
        accepted.map(keptOf),
      );
    }
    return results;
  }
}

/** Whether the station reports its device model, which is then kept (OCPP 2.x, not 1.6). */
function keepsDeviceModel(station: Station): boolean {
  return station.ocppVersion !== '1.6';
}

function viewOf(variable: StationVariable): VariableView {
  return {
    component: variable.component,
    ...(variable.componentInstance !== null && { componentInstance: variable.componentInstance }),
    ...(variable.evseId !== null && { evseId: variable.evseId }),
    ...(variable.connectorId !== null && { connectorId: variable.connectorId }),
    variable: variable.variable,
    ...(variable.variableInstance !== null && { variableInstance: variable.variableInstance }),
    attributeType: variable.attributeType,
    value: variable.value,
    mutability: variable.mutability,
  };
}

/** An accepted change as the device model keeps it; what the change does not say stays as kept. */
function keptOf(change: VariableChange): StationVariable {
  return {
    component: change.component,
    componentInstance: change.componentInstance ?? null,
    evseId: change.evseId ?? null,
    connectorId: change.connectorId ?? null,
    variable: change.variable,
    variableInstance: change.variableInstance ?? null,
    attributeType: change.attributeType ?? 'Actual',
    // A password the station took is write-only: kept as the fact that it was set.
    value: isSecretName(change.variable) ? REDACTED : change.value,
    mutability: null,
    dataType: null,
    unit: null,
  };
}
