import type { AuthorizationStatus } from '@cimorings/contracts';

export { AUTHORIZATION_STATUSES, type AuthorizationStatus } from '@cimorings/contracts';

/** An id tag as it is sent to a station: its text and, for 2.x, its IdTokenEnumType. */
export interface IdTokenRef {
  idTag: string;
  type: string;
}

/** An id tag with its group (parent), each with its type, as a station is told about them. */
export interface IdTokenWithGroup {
  idToken: IdTokenRef;
  group?: IdTokenRef;
}

/** OCPP 1.6 IdTagInfo (§7.27). */
export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export interface IdTagRecord {
  idTag: string;
  status: string;
  expiryDate: string | null;
  parentIdTag: string | null;
  allowConcurrent: boolean;
}

/**
 * Decides what an id tag may do now: unknown tags are Invalid, blocked ones Blocked, those past
 * their expiry (or marked so) Expired, and a tag with an active transaction is ConcurrentTx
 * unless it may hold several (OCPP 1.6 §4.1 Authorize, §4.8 StartTransaction).
 * @param activeTransactions the tag's transactions still running, not counting the one asked for.
 * @param checkConcurrency false for Authorize, which does not start anything by itself.
 */
export function decideIdTag(
  tag: IdTagRecord | undefined,
  now: Date,
  activeTransactions: number,
  checkConcurrency: boolean,
): IdTagInfo {
  if (!tag) return { status: 'Invalid' };
  const extras = {
    ...(tag.expiryDate !== null && { expiryDate: tag.expiryDate }),
    ...(tag.parentIdTag !== null && { parentIdTag: tag.parentIdTag }),
  };
  if (tag.status === 'Blocked') return { status: 'Blocked', ...extras };
  if (tag.status === 'Expired' || (tag.expiryDate !== null && Date.parse(tag.expiryDate) <= now.getTime())) {
    return { status: 'Expired', ...extras };
  }
  if (checkConcurrency && !tag.allowConcurrent && activeTransactions > 0) {
    return { status: 'ConcurrentTx', ...extras };
  }
  return { status: 'Accepted', ...extras };
}
