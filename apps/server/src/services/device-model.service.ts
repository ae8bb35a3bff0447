import { type Clock, isoNow } from '../domain/clock.js';
import type { StationVariable, StationVariableFilter } from '../domain/device-model.js';
import {
  LIMITS_COMPONENT,
  type LimitedMessage,
  type MessageLimits,
  messageLimitsOf,
} from '../domain/message-limits.js';
import { checkConnectorId } from '../domain/ocpp-ranges.js';
import { AppError } from '../errors.js';
import type { Page, PageRequest } from '../repositories/paging.js';
import type { StationVariableRepository } from '../repositories/station-variable.repository.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { ChargePointSession } from './charge-point.service.js';
import type { ReportBase } from './charge-point-commands.js';
import type { CommandService, StationProtocol } from './command.service.js';
import { inRange } from './range-check.js';

/** The report a CSMS asks for after a station's first accepted boot (OCPP 2.0.1 B07). */
const BASE_REPORT: ReportBase = 'FullInventory';

/**
 * A station's device model (OCPP 2.0.1 part 1 §4, CONTRACT section 7): what its NotifyReport
 * parts tell is kept, one row per attribute, and read back page by page. A later report of the
 * same attribute replaces the kept value.
 */
export class DeviceModelService {
  private nextRequestId: number;

  constructor(
    private readonly variables: StationVariableRepository,
    private readonly stations: StationRepository,
    private readonly commands: CommandService,
    private readonly clock: Clock,
  ) {
    // A requestId the station has not seen from this process before (it is a 32-bit integer).
    this.nextRequestId = Math.floor(clock.now().getTime() / 1000) % 1_000_000_000;
  }

  /**
   * Keeps the attributes of one NotifyReport part (or of accepted SetVariables).
   * @throws AppError VALIDATION_ERROR (PropertyConstraintViolation), nothing kept, when an EVSE or
   * connector id is outside 0..MAX_CONNECTOR_ID (the schema allows any integer; the store does not).
   */
  async storeReport(session: ChargePointSession, variables: readonly StationVariable[]): Promise<void> {
    if (variables.length === 0) return;
    inRange(() => {
      for (const { evseId, connectorId } of variables) {
        if (evseId !== null) checkConnectorId(evseId, 'evse.id', 0);
        if (connectorId !== null) checkConnectorId(connectorId, 'evse.connectorId', 0);
      }
    });
    await this.variables.upsert(session.stationId, variables, isoNow(this.clock));
  }

  /**
   * A station's kept attributes, by component, EVSE, connector and variable. The caller checks
   * who may see the station.
   * @throws AppError NOT_FOUND for an unknown station
   */
  async list(
    chargePointId: string,
    page: PageRequest,
    filter: StationVariableFilter = {},
  ): Promise<Page<StationVariable>> {
    const station = await this.stations.findCredentials(chargePointId);
    if (!station) throw new AppError('NOT_FOUND', `Unknown station ${chargePointId}`);
    return this.variables.list(station.id, page, filter);
  }

  /** What one GetVariables or SetVariables to the station may carry, as its kept model tells. */
  async messageLimits(stationId: number, message: LimitedMessage): Promise<MessageLimits> {
    const page = { offset: 0, limit: LIMITS_ROWS };
    const { items } = await this.variables.list(stationId, page, { component: LIMITS_COMPONENT });
    return messageLimitsOf(items, message);
  }

  /** True while nothing of the station's device model is kept (no report arrived yet). */
  async unreported(session: ChargePointSession): Promise<boolean> {
    return (await this.variables.count(session.stationId)) === 0;
  }

  /**
   * Asks the station for its whole device model (GetBaseReport FullInventory), through the
   * command path: recorded in the command trail as sent by the system; the report itself arrives
   * in NotifyReport parts.
   * @returns the station's GetBaseReport answer
   * @throws AppError STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR
   */
  async requestBaseReport(station: StationProtocol): Promise<unknown> {
    return this.commands.system(station).getBaseReport(this.nextRequestId++, BASE_REPORT);
  }
}

/** More rows than DeviceDataCtrlr has attributes (OCPP 2.0.1 appendix 3: about twenty). */
const LIMITS_ROWS = 200;
