import type { v201 } from '@cimorings/ocpp';
import type { DeviceModel } from './device-model.js';
import type { CsmsLink } from './events.js';

type IdToken = v201.IdTokenType;
type IdTokenInfo = v201.IdTokenInfoType;

const key = (token: IdToken): string => `${token.type}:${token.idToken}`;

/** The local authorization list the CSMS installs with SendLocalList (Part 2 D01 to D03). */
export class LocalList {
  private entries = new Map<string, IdTokenInfo>();
  /** The list's version, 0 when none was installed (D02). */
  version = 0;

  get size(): number {
    return this.entries.size;
  }

  /** What the list says about `token`, if it holds it. */
  lookup(token: IdToken): IdTokenInfo | undefined {
    return this.entries.get(key(token));
  }

  /**
   * Applies SendLocalList (D01): `Full` replaces the list; `Differential` adds or updates the
   * entries with an `idTokenInfo` and removes those without, and needs a newer version.
   */
  apply(request: v201.Request<'SendLocalList'>): v201.SendLocalListStatusEnumType {
    const items = request.localAuthorizationList ?? [];
    if (request.updateType === 'Differential') {
      if (request.versionNumber <= this.version) return 'VersionMismatch';
      for (const { idToken, idTokenInfo } of items) {
        if (idTokenInfo) this.entries.set(key(idToken), idTokenInfo);
        else this.entries.delete(key(idToken));
      }
    } else {
      if (items.some((item) => !item.idTokenInfo)) return 'Failed';
      this.entries = new Map(
        items.map(({ idToken, idTokenInfo }) => [key(idToken), idTokenInfo ?? { status: 'Invalid' }]),
      );
    }
    this.version = request.versionNumber;
    return 'Accepted';
  }
}

/**
 * Decides on an id token (Part 2 C01, C12, C15): online it asks the CSMS with Authorize, unless
 * local pre-authorization finds it Accepted on the local list; offline it trusts the local list,
 * and accepts an unknown token when OfflineTxForUnknownIdEnabled is set (C15).
 */
export class Authorizer {
  readonly localList = new LocalList();

  constructor(
    private readonly link: CsmsLink,
    private readonly model: DeviceModel,
  ) {}

  async authorize(idToken: IdToken): Promise<IdTokenInfo> {
    const local = this.model.flag('LocalAuthListCtrlr', 'Enabled')
      ? this.localList.lookup(idToken)
      : undefined;
    if (this.link.accepted) {
      if (local?.status === 'Accepted' && this.model.flag('AuthCtrlr', 'LocalPreAuthorize')) return local;
      return (await this.link.call('Authorize', { idToken })).idTokenInfo;
    }
    if (local && this.model.flag('AuthCtrlr', 'LocalAuthorizeOffline')) return local;
    return { status: this.model.flag('AuthCtrlr', 'OfflineTxForUnknownIdEnabled') ? 'Accepted' : 'Unknown' };
  }
}
