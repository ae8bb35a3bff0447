import { DEFAULT_ID_TOKEN_TYPE } from '@cimorings/contracts';
import { isoTime, type Clock } from '../domain/clock.js';
import { decideIdTag } from '../domain/id-tag.js';
import type { Actor } from '../domain/user.js';
import type { IdTag, IdTagRepository } from '../repositories/id-tag.repository.js';
import type { StationRepository } from '../repositories/station.repository.js';
import type { LocalListEntry, LocalListUpdate } from './charge-point-commands.js';
import type { CommandService } from './command.service.js';

/** OCPP 1.6 UpdateType (§7.48), OCPP 2.0.1 UpdateEnumType. */
export type UpdateType = LocalListUpdate;

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
 * §5.15 SendLocalList; OCPP 2.0.1 D01, with each tag's type and its group's). A Full update
 * sends every tag; a Differential one the tags created or changed since the last list the
 * station accepted, and those deleted since as removals. The command goes through the
 * CommandService (schema check, scope, audit trail, the station's protocol), and the new
 * version is stored only when the charge point accepts it.
 */
export class LocalListService {
  constructor(
    private readonly stationRepository: StationRepository,
    private readonly idTags: IdTagRepository,
    private readonly commands: CommandService,
    private readonly clock: Clock,
  ) {}

  /** @throws AppError NOT_FOUND, STATION_OFFLINE, STATION_TIMEOUT or OCPP_CALL_ERROR. */
  async send(actor: Actor, chargePointId: string, updateType: UpdateType): Promise<LocalListResult> {
    const { station, commands } = await this.commands.to(actor, chargePointId);
    // Read before the tags: a tag changed meanwhile is sent again next time rather than missed.
    const readAt = this.clock.now();
    const since = updateType === 'Full' ? null : station.localListSentAt;
    const tags = await this.idTags.changedSince(since);
    const removed = since === null ? [] : await this.idTags.deletedSince(since);
    const typeOf = await this.typesOf(tags);
    const entries: LocalListEntry[] = [
      ...tags.map((tag) => {
        const { parentIdTag, ...info } = decideIdTag(tag, readAt, 0, false);
        return {
          idToken: { idTag: tag.idTag, type: tag.type },
          info: {
            ...info,
            ...(parentIdTag !== undefined && { group: { idTag: parentIdTag, type: typeOf(parentIdTag) } }),
          },
        };
      }),
      ...removed.map((idToken) => ({ idToken })),
    ];
    const listVersion = (station.localListVersion ?? 0) + 1;
    const response = await commands.sendLocalList({ listVersion, updateType, entries });
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

  /** The type of each tag, parents not among `tags` looked up. */
  private async typesOf(tags: readonly IdTag[]): Promise<(idTag: string) => string> {
    const types = new Map(tags.map((tag) => [tag.idTag, tag.type]));
    const missing = tags.flatMap((tag) =>
      tag.parentIdTag !== null && !types.has(tag.parentIdTag) ? [tag.parentIdTag] : [],
    );
    for (const parent of await this.idTags.findMany(missing)) types.set(parent.idTag, parent.type);
    return (idTag) => types.get(idTag) ?? DEFAULT_ID_TOKEN_TYPE;
  }
}
