import type { v16 } from '@cimorings/ocpp';
import type { StationLinks } from '../../cluster/command-router.js';
import type { SecurityProfileSwitch } from '../../services/security-profile-raise.js';

/**
 * The 1.6 way to move a station to another security profile (OCPP 1.6 security whitepaper
 * §2.4; OCTT TC_083_CSMS): ChangeConfiguration of `SecurityProfile`, then a hard Reset so that it
 * reconnects with the new profile.
 */
export function v16SecurityProfileSwitch(
  links: StationLinks,
  onError: (error: unknown) => void,
): SecurityProfileSwitch {
  return {
    async change(chargePointId, profile) {
      const request: v16.Request<'ChangeConfiguration'> = { key: 'SecurityProfile', value: String(profile) };
      const answer = (await links.router.call(
        chargePointId,
        'ChangeConfiguration',
        request,
        links.callTimeoutMs,
      )) as v16.Response<'ChangeConfiguration'> | undefined;
      return answer?.status ?? 'Rejected';
    },
    async reconnect(chargePointId) {
      const request: v16.Request<'Reset'> = { type: 'Hard' };
      await links.router.call(chargePointId, 'Reset', request, links.callTimeoutMs).catch(onError);
    },
  };
}
