import type { StationVariable } from '../domain/device-model.js';
import { AppError } from '../errors.js';
import { isSecretName, REDACTED } from '../domain/ocpp-secrets.js';
import type { Station } from '../domain/station.js';
import type { Actor } from '../domain/user.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { ChargePointSession } from './charge-point.service.js';
import type {
  ChargePointCommands,
  VariableChange,
  VariableReading,
  VariableRef,
  VariableSetResult,
} from './charge-point-commands.js';
import type { CommandService } from './command.service.js';
import type { DeviceModelService } from './device-model.service.js';

/** A variable as the device model routes show it. */
export type VariableView = Omit<VariableReading, 'attributeStatus'>;

export interface VariableListFilter {
  component?: string;
  /** A 2.x station: ask it for the current values of the listed variables first. */
  refresh?: boolean;
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
   * With `refresh`, a 2.x station is asked for the current values of the page's variables
   * (GetVariables, split by its ItemsPerMessage / BytesPerMessage), which are kept before the
   * page is read; a 1.6 station is always asked.
   * @throws AppError NOT_FOUND; for a 1.6 station, or a 2.x one with `refresh`, also
   * STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR.
   */
  async list(
    actor: Actor,
    chargePointId: string,
    page: PageRequest,
    filter: VariableListFilter,
  ): Promise<Page<VariableView>> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    if (keepsDeviceModel(station)) {
      const { refresh, ...kept } = filter;
      if (refresh === true) {
        const listed = await this.deviceModel.list(station.chargePointId, page, kept);
        await this.refresh(station, commands, listed.items);
      }
      const read = await this.deviceModel.list(station.chargePointId, page, kept);
      return { items: read.items.map(viewOf), total: read.total };
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
    if (!keepsDeviceModel(station)) return commands.setVariables(changes);
    const session = sessionOf(station);
    const limits = await this.deviceModel.messageLimits(station.id, 'SetVariables');
    const answered: VariableSetResult[] = [];
    try {
      return await commands.setVariables(changes, limits, async (results) => {
        // The parts go in order: this part's changes follow those already answered.
        const part = changes.slice(answered.length, answered.length + results.length);
        answered.push(...results);
        const accepted = part.filter((_change, index) => results[index]?.attributeStatus === 'Accepted');
        await this.deviceModel.storeReport(session, accepted.map(keptOf));
      });
    } catch (error) {
      throw partlyAnswered(error, answered, changes.length);
    }
  }

  /**
   * Asks a 2.x station for the current values of kept variables (GetVariables, in as many
   * messages as its limits need) and keeps those it gave; write-only ones and secrets are not asked.
   * @throws AppError VALIDATION_ERROR, STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR
   */
  private async refresh(
    station: Station,
    commands: ChargePointCommands,
    kept: readonly StationVariable[],
  ): Promise<void> {
    const readable = kept.filter((v) => v.mutability !== 'WriteOnly' && !isSecretName(v.variable));
    if (readable.length === 0) return;
    const limits = await this.deviceModel.messageLimits(station.id, 'GetVariables');
    const readings = await commands.getVariables(readable.map(refOf), limits);
    const given = readings.flatMap(({ value, attributeStatus, ...ref }) =>
      attributeStatus === 'Accepted' && value !== null ? [{ ...ref, value }] : [],
    );
    await this.deviceModel.storeReport(sessionOf(station), given.map(keptOf));
  }
}

/**
 * The error of a part of a change sent in several messages: what the parts before it were
 * answered rides along (`details.results`, in order), the rest was not sent or not answered.
 */
function partlyAnswered(error: unknown, answered: VariableSetResult[], total: number): unknown {
  if (!(error instanceof AppError) || answered.length === 0) return error;
  return new AppError(
    error.code,
    `${error.message} (the station answered the first ${answered.length} of ${total} changes: details.results)`,
    { ...error.details, results: answered },
  );
}

/** Whether the station reports its device model, which is then kept (OCPP 2.x, not 1.6). */
function keepsDeviceModel(station: Station): boolean {
  return station.ocppVersion !== '1.6';
}

function viewOf(variable: StationVariable): VariableView {
  const { attributeType, value, mutability } = variable;
  return { ...refOf(variable), attributeType, value, mutability };
}

/** A kept variable as commands name it. */
function refOf(variable: StationVariable): VariableRef {
  return {
    component: variable.component,
    ...(variable.componentInstance !== null && { componentInstance: variable.componentInstance }),
    ...(variable.evseId !== null && { evseId: variable.evseId }),
    ...(variable.connectorId !== null && { connectorId: variable.connectorId }),
    variable: variable.variable,
    ...(variable.variableInstance !== null && { variableInstance: variable.variableInstance }),
    attributeType: variable.attributeType,
  };
}

/** The station as the device model's store knows it. */
function sessionOf(station: Station): ChargePointSession {
  return { stationId: station.id, chargePointId: station.chargePointId, registration: station.registration };
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
