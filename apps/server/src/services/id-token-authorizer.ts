import { DEFAULT_ID_TOKEN_TYPE } from '@cimorings/contracts';
import { decideIdTag, type IdTagInfo, type IdTagRecord } from '../domain/id-tag.js';
import type { IdTag, IdTagRepository } from '../repositories/id-tag.repository.js';
import type { TransactionRepository } from '../repositories/transaction.repository.js';
import type { ChargePointClock } from './charge-point-clock.js';

/** An id tag's decision with its group's token, as a 2.x station is told it (IdTokenInfo). */
export interface IdTokenDecision extends IdTagInfo {
  group?: { idTag: string; type: string };
}

/**
 * The decision on a 2.x station's id token (Authorize, or the idToken of a TransactionEvent):
 * the tag's own rules, the transactions it already has active, and its group's token.
 */
export class IdTokenAuthorizer {
  constructor(
    private readonly idTags: IdTagRepository,
    private readonly transactions: Pick<TransactionRepository, 'countActiveForTag'>,
    private readonly clock: ChargePointClock,
  ) {}

  /** Authorize: the tag's decision and its group, without counting its transactions. */
  async authorize(idTag: string): Promise<IdTokenDecision> {
    return this.withGroup(decideIdTag(await this.idTags.find(idTag), this.clock.now(), 0, false));
  }

  find(idTag: string): Promise<IdTag | undefined> {
    return this.idTags.find(idTag);
  }

  /**
   * The decision on the token of a transaction just stored (`tag` read before it was), counting
   * the tag's other active transactions: `own` is 1 when the transaction counts among them.
   */
  async decideStart(tag: IdTagRecord | undefined, idTag: string, own: number): Promise<IdTagInfo> {
    const others = (await this.transactions.countActiveForTag(idTag)) - own;
    return decideIdTag(tag, this.clock.now(), others, true);
  }

  /** The decision, with its group, on a token a later event of a known transaction carries. */
  async decideLater(idTag: string, own: number): Promise<IdTokenDecision> {
    const others = (await this.transactions.countActiveForTag(idTag)) - own;
    return this.withGroup(decideIdTag(await this.idTags.find(idTag), this.clock.now(), others, true));
  }

  async withGroup(info: IdTagInfo): Promise<IdTokenDecision> {
    if (info.parentIdTag === undefined) return info;
    const type = (await this.idTags.find(info.parentIdTag))?.type ?? DEFAULT_ID_TOKEN_TYPE;
    return { ...info, group: { idTag: info.parentIdTag, type } };
  }
}
