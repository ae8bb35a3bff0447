/** How many answers are remembered per charge point. */
const PER_STATION = 16;

/**
 * The last answers given to each charge point, by message id, so that a call repeated with the
 * same message id (a retry after a lost answer, OCPP-J 1.6 §4.1.3) gets the same answer without
 * being applied twice. Kept across reconnections, since that is when retries happen.
 */
export class RecentAnswers {
  private readonly byStation = new Map<string, Map<string, { action: string; answer: unknown }>>();

  get(chargePointId: string, messageId: string, action: string): unknown {
    const entry = this.byStation.get(chargePointId)?.get(messageId);
    return entry?.action === action ? entry.answer : undefined;
  }

  set(chargePointId: string, messageId: string, action: string, answer: unknown): void {
    let answers = this.byStation.get(chargePointId);
    if (!answers) this.byStation.set(chargePointId, (answers = new Map()));
    answers.set(messageId, { action, answer });
    if (answers.size > PER_STATION) {
      const oldest = answers.keys().next().value;
      if (oldest !== undefined) answers.delete(oldest);
    }
  }

  forget(chargePointId: string): void {
    this.byStation.delete(chargePointId);
  }
}
