import { type Clock, isoNow } from '../domain/clock.js';
import { redactOcppPayload } from '../domain/ocpp-secrets.js';
import { AppError } from '../errors.js';
import type { OcppLogRepository } from '../repositories/ocpp-log.repository.js';

/**
 * The audit trail of commands to charge points: who sent what, when, and how it ended. Secrets
 * (an AuthorizationKey, ...) are write-only: the trail keeps them redacted, and so does the
 * answer it hands back.
 */
export class CommandAudit {
  constructor(
    private readonly log: OcppLogRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a command as sent, before it goes out; its id, for how it ends.
   * @param userId who sent it; null: the server itself.
   */
  sent(userId: number | null, chargePointId: string, action: string, payload: unknown): Promise<number> {
    return this.log.recordCommand({
      chargePointId,
      action,
      request: redactOcppPayload(action, payload),
      userId,
      now: isoNow(this.clock),
    });
  }

  /** Records the charge point's answer; the answer as it may be shown (redacted). */
  async answered(id: number, action: string, response: unknown): Promise<unknown> {
    const shown = redactOcppPayload(action, response);
    await this.log.finishCommand(id, 'answered', shown, isoNow(this.clock));
    return shown;
  }

  /** Records why the command failed: the error's code (lower case), or `failed`. */
  async failed(id: number, action: string, error: unknown): Promise<void> {
    const outcome = error instanceof AppError ? error.code.toLowerCase() : 'failed';
    await this.log.finishCommand(
      id,
      outcome,
      error instanceof AppError ? redactOcppPayload(action, error.details) : undefined,
      isoNow(this.clock),
    );
  }
}
