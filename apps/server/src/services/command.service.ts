import { CSMS_ACTIONS, type CsmsAction } from '@cimorings/contracts';
import type { StationLinks } from '../cluster/command-router.js';
import { type Clock, isoNow } from '../domain/clock.js';
import { redactOcppPayload } from '../domain/ocpp-secrets.js';
import type { Actor } from '../domain/user.js';
import { AppError } from '../errors.js';
import type { OcppLogRepository } from '../repositories/ocpp-log.repository.js';
import type { CommandCertificates } from './command-certificates.js';
import type { StationService } from './station.service.js';

export { CSMS_ACTIONS, type CsmsAction } from '@cimorings/contracts';

/** Checks a request payload against the official schema of an action; throws on a violation. */
export type RequestValidator = (action: CsmsAction, payload: unknown) => void;

/**
 * Commands from operators to charge points: checked against the official schema, sent through
 * the CommandRouter, and recorded with who sent them, what and the answer (the audit trail).
 * Secrets in a command or its answer are redacted in the audit and in what the caller gets back.
 */
export class CommandService {
  constructor(
    private readonly stations: StationService,
    private readonly links: StationLinks,
    private readonly audit: OcppLogRepository,
    private readonly validate: RequestValidator,
    private readonly clock: Clock,
    /** The security extension's certificates: the configured ones added, garbage refused. */
    private readonly certificates: CommandCertificates,
  ) {}

  /**
   * @throws AppError VALIDATION_ERROR (nothing sent), NOT_FOUND, STATION_OFFLINE,
   * STATION_TIMEOUT or OCPP_CALL_ERROR.
   */
  async send(actor: Actor, chargePointId: string, action: string, body: unknown): Promise<unknown> {
    if (!isCsmsAction(action)) {
      throw new AppError('VALIDATION_ERROR', `${action} is not an OCPP 1.6 message a central system sends`, {
        fields: ['action'],
        actions: CSMS_ACTIONS,
      });
    }
    const payload = this.certificates.complete(action, body);
    this.validate(action, payload);
    this.certificates.check(action, payload);
    await this.stations.get(actor, chargePointId);
    const id = await this.audit.recordCommand({
      chargePointId,
      action,
      // Secrets (an AuthorizationKey, ...) are write-only: the audit keeps them redacted.
      request: redactOcppPayload(action, payload),
      userId: actor.id,
      now: isoNow(this.clock),
    });
    try {
      const response = await this.links.router.call(chargePointId, action, payload, this.links.callTimeoutMs);
      const shown = redactOcppPayload(action, response);
      await this.audit.finishCommand(id, 'answered', shown, isoNow(this.clock));
      await this.applyEffects(chargePointId, action, payload, response);
      return shown;
    } catch (error) {
      const outcome = error instanceof AppError ? error.code.toLowerCase() : 'failed';
      await this.audit.finishCommand(
        id,
        outcome,
        error instanceof AppError ? redactOcppPayload(action, error.details) : undefined,
        isoNow(this.clock),
      );
      throw error;
    }
  }

  /** What the central system records once a charge point accepted a command. */
  private async applyEffects(chargePointId: string, action: CsmsAction, payload: unknown, response: unknown) {
    const accepted = (response as { status?: string } | undefined)?.status === 'Accepted';
    const { key, value } = (payload ?? {}) as { key?: string; value?: string };
    if (action === 'ChangeConfiguration' && accepted && key === 'AuthorizationKey' && value) {
      // OCPP 1.6 security whitepaper: the accepted AuthorizationKey is the Basic auth password from now on.
      await this.stations.storeAuthorizationKey(chargePointId, value);
    }
  }
}

export function isCsmsAction(action: string): action is CsmsAction {
  return (CSMS_ACTIONS as readonly string[]).includes(action);
}
