import type { Station } from '../domain/station.js';
import type { Actor } from '../domain/user.js';
import type { CommandService } from './command.service.js';
import type { StationService } from './station.service.js';

/** Approving pending stations (CONTRACT section 3), in whatever OCPP version they speak. */
export class StationApprovalService {
  constructor(
    private readonly stations: StationService,
    private readonly commands: CommandService,
  ) {}

  /**
   * Accepts a pending station. When it is connected it is asked to boot again at once (a
   * TriggerMessage of BootNotification: OCPP 1.6 §5.17, OCPP 2.0.1 B02), so that it does not
   * wait out its retry interval; whether it does is its own business, so a failure is dropped.
   * @throws AppError NOT_FOUND.
   */
  async approve(actor: Actor, chargePointId: string): Promise<Station> {
    const station = await this.stations.approve(actor, chargePointId);
    if (station.connected) {
      void this.commands
        .to(actor, chargePointId)
        .then(({ commands }) => commands.trigger('BootNotification'))
        .catch(() => undefined);
    }
    return station;
  }
}
