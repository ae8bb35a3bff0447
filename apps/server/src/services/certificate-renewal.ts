import { type Clock } from '../domain/clock.js';
import type { CertificateRepository } from '../repositories/certificate.repository.js';

/** Stations asked per run at most: a run stays short, the next one takes the rest. */
const RENEWALS_PER_RUN = 100;
/** A station that did not renew is asked again after a day. */
const ASK_AGAIN_AFTER_MS = 86_400_000;

export interface CertificateRenewalSettings {
  /** OCPP_CERTIFICATE_RENEWAL_DAYS: how long before expiry the station is asked. */
  renewalDays: number;
}

/**
 * Asks connected stations to renew the certificate the OCPP CA signed for them before it expires
 * (CONTRACT section 8): each station's newest standing certificate that expires within the
 * renewal window, at most once a day. Only the node holding a station's socket asks it, so that
 * several nodes do not ask twice; how to ask is the protocol's (1.6: ExtendedTriggerMessage
 * SignChargePointCertificate), given as `ask`.
 */
export class CertificateRenewal {
  constructor(
    private readonly certificates: CertificateRepository,
    /** Whether this node holds the station's socket. */
    private readonly holdsHere: (chargePointId: string) => boolean,
    /** Asks the station for a new CSR; resolves true when it accepted to send one. */
    private readonly ask: (chargePointId: string) => Promise<boolean>,
    private readonly clock: Clock,
    private readonly settings: CertificateRenewalSettings,
  ) {}

  /** Asks every due station held here once; answers the ids of those that accepted. */
  async askDue(): Promise<string[]> {
    const now = this.clock.now().getTime();
    const before = new Date(now + this.settings.renewalDays * 86_400_000).toISOString();
    const askedBefore = new Date(now - ASK_AGAIN_AFTER_MS).toISOString();
    const due = await this.certificates.dueRenewals(before, askedBefore, RENEWALS_PER_RUN);
    const accepted: string[] = [];
    for (const { id, chargePointId } of due) {
      if (!this.holdsHere(chargePointId)) continue;
      await this.certificates.markRenewalRequested(id, new Date(now).toISOString());
      if (await this.ask(chargePointId).catch(() => false)) accepted.push(chargePointId);
    }
    return accepted;
  }
}
