import { isoTime, type Clock } from '../domain/clock.js';
import { decideIdTag, type IdTagInfo } from '../domain/id-tag.js';
import type { Actor } from '../domain/user.js';
import type { IdTagRepository } from '../repositories/id-tag.repository.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { CommandService } from './command.service.js';
import type { StationService } from './station.service.js';

/** OCPP 1.6 UpdateType (§7.48). */
export type UpdateType = 'Full' | 'Differential';

/** OCPP 1.6 AuthorizationData (§7.1): without idTagInfo, a differential update removes the tag. */
interface AuthorizationData {
  idTag: string;
  idTagInfo?: IdTagInfo;
}

export interface LocalListResult {
  /** The charge point's UpdateStatus: Accepted, Failed, NotSupported or VersionMismatch. */
  status: string;
  updateType: UpdateType;
  /** The version sent. */
  listVersion: number;
  /** The version the station holds now, as far as we know: the one sent when it accepted it. */
  localListVersion: number | null;
  /** Tags sent with their idTagInfo. */
  updated: number;
  /** Tags sent without idTagInfo, to be removed (differential only). */
  removed: number;
}

/**
 * The local authorization list of a charge point, built from the id tag table (OCPP 1.6 §3.5,
 * §5.15 SendLocalList). A Full update sends every tag; a Differential one the tags created or
 * changed since the last list the station accepted, and those deleted since as removals. The
 * command goes through the CommandService (schema check, scope, audit trail), and the new
 * version is stored only when the charge point accepts it.
 */
export class LocalListService {
  constructor(
    private readonly stations: StationService,
    private readonly stationRepository: StationRepository,
    private readonly idTags: IdTagRepository,
    private readonly commands: CommandService,
    private readonly clock: Clock,
  ) {}

  /** @throws AppError NOT_FOUND, STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR. */
  async send(actor: Actor, chargePointId: string, updateType: UpdateType): Promise<LocalListResult> {
    const station = await this.stations.get(actor, chargePointId);
    // Read before the tags: a tag changed meanwhile is sent again next time rather than missed.
    const readAt = this.clock.now();
    const since = updateType === 'Full' ? null : station.localListSentAt;
    const tags = await this.idTags.changedSince(since);
    const removed = since === null ? [] : await this.idTags.deletedSince(since);
    const entries: AuthorizationData[] = [
      ...tags.map((tag) => ({ idTag: tag.idTag, idTagInfo: decideIdTag(tag, readAt, 0, false) })),
      ...removed.map((idTag) => ({ idTag })),
    ];
    const listVersion = (station.localListVersion ?? 0) + 1;
    const response = (await this.commands.send(actor, chargePointId, 'SendLocalList', {
      listVersion,
      updateType,
      localAuthorizationList: entries,
    })) as { status: string };
    const accepted = response.status === 'Accepted';
    if (accepted) await this.stationRepository.setLocalList(station.id, listVersion, isoTime(readAt));
    return {
      status: response.status,
      updateType,
      listVersion,
      localListVersion: accepted ? listVersion : station.localListVersion,
      updated: tags.length,
      removed: removed.length,
    };
  }
}
