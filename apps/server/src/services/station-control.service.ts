import { randomInt } from 'node:crypto';
import type { Actor } from '../domain/user.js';
import type { IdTagRepository } from '../repositories/id-tag.repository.js';
import type { TransactionRepository } from '../repositories/transaction.repository.js';
import type { AvailabilityKind, CommandAnswer, ResetKind } from './charge-point-commands.js';
import type { CommandService } from './command.service.js';

/** The largest remoteStartId drawn: OCPP 2.0.1 integers are 32-bit. */
const MAX_REMOTE_START_ID = 2 ** 31 - 1;

/**
 * The operations every station offers whatever its protocol (CONTRACT section 7): each is
 * mapped to the station's own message by its command adapter, and answers the station's answer.
 * Every one throws AppError NOT_FOUND (also outside the caller's scope), STATION_OFFLINE,
 * STATION_TIMEOUT or OCPP_CALL_ERROR.
 */
export class StationControlService {
  constructor(
    private readonly commands: CommandService,
    private readonly transactions: TransactionRepository,
    private readonly idTags: IdTagRepository,
  ) {}

  /** Asks the station to start a transaction for `idTag` (with its type and group for 2.x). */
  async remoteStart(
    actor: Actor,
    chargePointId: string,
    input: { connectorId?: number; idTag: string },
  ): Promise<CommandAnswer> {
    const { commands } = await this.commands.to(actor, chargePointId);
    const token = await this.idTags.tokenOf(input.idTag);
    return commands.remoteStart({
      ...token,
      ...(input.connectorId !== undefined && { connectorId: input.connectorId }),
      remoteStartId: randomInt(1, MAX_REMOTE_START_ID),
    });
  }

  /**
   * Asks the station to stop a transaction, named by the integer id of the API. One not known at
   * this station is passed on to a 1.6 station as it is, for the station to refuse (as the
   * commands endpoint does), while for a 2.x station, which needs its own id, it is NOT_FOUND.
   */
  async remoteStop(actor: Actor, chargePointId: string, transactionId: number): Promise<CommandAnswer> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    const known = await this.transactions.findAtStation(station.id, transactionId);
    return commands.remoteStop({ transactionId, ocppTransactionId: known?.ocppTransactionId ?? null });
  }

  async reset(actor: Actor, chargePointId: string, kind: ResetKind): Promise<CommandAnswer> {
    const { commands } = await this.commands.to(actor, chargePointId);
    return commands.reset(kind);
  }

  async unlock(actor: Actor, chargePointId: string, connectorId: number): Promise<CommandAnswer> {
    const { commands } = await this.commands.to(actor, chargePointId);
    return commands.unlock(connectorId);
  }

  /** Connector 0: the whole station. */
  async changeAvailability(
    actor: Actor,
    chargePointId: string,
    connectorId: number,
    kind: AvailabilityKind,
  ): Promise<CommandAnswer> {
    const { commands } = await this.commands.to(actor, chargePointId);
    return commands.changeAvailability(connectorId, kind);
  }
}
