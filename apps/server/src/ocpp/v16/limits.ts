import { AppError } from '../../errors.js';

/**
 * Most sampled values one MeterValues.req, or one StopTransaction.req's transactionData, may
 * carry. OCPP 1.6 sets no limit, but a charger reports at most a few dozen measurands per
 * reading (22 measurands, by phase), and a StopTransaction's clock-aligned data of a long session
 * stays in the hundreds; 10,000 samples in one message is not metering, it is a flood (issue 10,
 * item 3), and stored whole it would swell the meter table and every read of that transaction.
 */
export const MAX_SAMPLES_PER_MESSAGE = 1000;

/**
 * Refuses a message with more samples than MAX_SAMPLES_PER_MESSAGE, before anything is stored.
 * The CallError is OccurenceConstraintViolation: the message is well-formed and every value may
 * be fine, but an element occurs more often than allowed, the same code a schema's `maxItems`
 * gives (OCPP-J 1.6 §4.2.3); PropertyConstraintViolation is for a field's value.
 */
export function checkSampleCount(
  action: string,
  readings: readonly { sampledValue: readonly unknown[] }[] | undefined,
): void {
  let samples = 0;
  for (const reading of readings ?? []) samples += reading.sampledValue.length;
  if (samples > MAX_SAMPLES_PER_MESSAGE) {
    throw new AppError(
      'VALIDATION_ERROR',
      `${action} carries ${samples} sampled values; at most ${MAX_SAMPLES_PER_MESSAGE} are accepted in one message`,
      { ocppErrorCode: 'OccurenceConstraintViolation' },
    );
  }
}
