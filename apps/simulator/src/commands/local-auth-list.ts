import type { v16 } from '@cimorings/ocpp';
import type { Register } from './types.js';

/** The local authorization list the central system sends (OCPP 1.6 sections 5.10 and 5.15). */
export class LocalAuthList {
  private listVersion = 0;
  private readonly entries = new Map<string, v16.IdTagInfo>();

  /** Version of the installed list; 0 while none was ever sent. */
  get version(): number {
    return this.listVersion;
  }

  /** What the list says about an id tag, if anything. */
  lookup(idTag: string): v16.IdTagInfo | undefined {
    return this.entries.get(idTag);
  }

  /** Installs a Full list or applies a Differential one (an entry without idTagInfo is removed). */
  apply({ listVersion, updateType, localAuthorizationList = [] }: v16.Request<'SendLocalList'>): void {
    if (updateType === 'Full') this.entries.clear();
    for (const { idTag, idTagInfo } of localAuthorizationList) {
      if (idTagInfo) this.entries.set(idTag, idTagInfo);
      else this.entries.delete(idTag);
    }
    this.listVersion = listVersion;
  }
}

/** Handlers of the Local Auth List Management profile. */
export function registerLocalAuthListCommands(register: Register, list: LocalAuthList): void {
  register('GetLocalListVersion', () => ({ listVersion: list.version }));
  register('SendLocalList', (request) => {
    list.apply(request);
    return { status: 'Accepted' };
  });
}
