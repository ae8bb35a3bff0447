import type { StationLinks } from '../cluster/command-router.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { Station } from '../domain/station.js';
import type { CommandAudit } from './command-audit.js';
import type { ChargePointCommands, CommandProtocol, CommandProtocols } from './charge-point-commands.js';
import type { CommandCertificates } from './command-certificates.js';
import type { StationService } from './station.service.js';

export { CSMS_ACTIONS, type CsmsAction } from '@cimorings/contracts';

/** A station and the protocol it speaks. */
export type StationProtocol = Pick<Station, 'chargePointId' | 'ocppVersion'>;

/**
 * Commands from operators to charge points, in the station's own protocol: checked against the
 * official schema, sent through the CommandRouter, and recorded with who sent them, what and the
 * answer (the audit trail). Secrets in a command or its answer are redacted in the audit and in
 * what the caller gets back. Services command stations through `to`, in domain terms.
 */
export class CommandService {
  constructor(
    private readonly stations: StationService,
    private readonly links: StationLinks,
    private readonly audit: CommandAudit,
    private readonly protocols: CommandProtocols,
    /** The security extension's certificates: the configured ones added, garbage refused. */
    private readonly certificates: CommandCertificates,
  ) {}

  /**
   * Sends the message `action` with `payload` as it is (the commands endpoint).
   * @throws AppError VALIDATION_ERROR (an action no protocol lets a CSMS send, or a payload
   * breaking its schema: nothing sent), NOT_FOUND, UNSUPPORTED_ACTION (an action of another
   * protocol than the station's), STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR.
   */
  async send(actor: Actor, chargePointId: string, action: string, payload: unknown): Promise<unknown> {
    const known = Object.values(this.protocols).some((protocol) => protocol.actions.includes(action));
    if (!known) {
      throw new AppError('VALIDATION_ERROR', `${action} is not an OCPP message a CSMS sends`, {
        fields: ['action'],
        actions: [...new Set(Object.values(this.protocols).flatMap((protocol) => protocol.actions))],
      });
    }
    const station = await this.stations.get(actor, chargePointId);
    const protocol = this.protocols[station.ocppVersion];
    if (!protocol.actions.includes(action)) {
      throw new AppError(
        'UNSUPPORTED_ACTION',
        `${chargePointId} speaks OCPP ${station.ocppVersion}, which has no ${action} for a CSMS to send`,
        { ocppVersion: station.ocppVersion, actions: protocol.actions },
      );
    }
    return this.dispatch(actor.id, chargePointId, protocol, action, payload);
  }

  /**
   * The port to one station, speaking its protocol; every message it sends is checked and
   * audited as the commands endpoint's are.
   * @throws AppError NOT_FOUND (also outside the actor's scope).
   */
  async to(
    actor: Actor,
    chargePointId: string,
  ): Promise<{ station: Station; commands: ChargePointCommands }> {
    const station = await this.stations.get(actor, chargePointId);
    return { station, commands: this.port(actor.id, station) };
  }

  /**
   * The port to a station whose protocol the caller knows, for what the server sends of itself
   * (load management, kept profiles at boot, the device model report): checked and audited as
   * the commands endpoint's are, as sent by no user, and without reading the station again.
   */
  system(station: StationProtocol): ChargePointCommands {
    return this.port(null, station);
  }

  private port(userId: number | null, { chargePointId, ocppVersion }: StationProtocol): ChargePointCommands {
    const protocol = this.protocols[ocppVersion];
    return protocol.commands((action, payload) =>
      this.dispatch(userId, chargePointId, protocol, action, payload),
    );
  }

  private async dispatch(
    /** Who sent it; null: the server itself. */
    userId: number | null,
    chargePointId: string,
    protocol: CommandProtocol,
    action: string,
    request: unknown,
  ): Promise<unknown> {
    const payload = this.certificates.complete(action, request);
    protocol.validate(action, payload);
    this.certificates.check(action, payload);
    const id = await this.audit.sent(userId, chargePointId, action, payload);
    try {
      const response = await this.links.router.call(chargePointId, action, payload, this.links.callTimeoutMs);
      const shown = await this.audit.answered(id, action, response);
      const password = protocol.acceptedPassword(action, payload, response);
      if (password !== null) await this.stations.storeAuthorizationKey(chargePointId, password);
      return shown;
    } catch (error) {
      await this.audit.failed(id, action, error);
      throw error;
    }
  }
}
