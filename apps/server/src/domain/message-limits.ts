import type { StationVariable } from './device-model.js';

/**
 * How much one message to a station may carry, as its device model reports it (OCPP 2.0.1
 * DeviceDataCtrlr.ItemsPerMessage and BytesPerMessage, instance GetVariables or SetVariables;
 * B06.FR.05, B05.FR.09 and their byte counterparts). Absent: the station reported no limit.
 */
export interface MessageLimits {
  items?: number;
  bytes?: number;
}

/** The device model messages whose size a station limits. */
export type LimitedMessage = 'GetVariables' | 'SetVariables';

/** The component that reports the limits. */
export const LIMITS_COMPONENT = 'DeviceDataCtrlr';

/**
 * The limits of `message` among a station's kept DeviceDataCtrlr attributes: the Actual value of
 * ItemsPerMessage / BytesPerMessage with the message as instance (as OCPP 2.0.1 appendix 3 names
 * them), or of the joined name (ItemsPerMessageGetVariables) some stations report. A value that is
 * not a positive integer limits nothing.
 */
export function messageLimitsOf(
  variables: readonly StationVariable[],
  message: LimitedMessage,
): MessageLimits {
  const valueOf = (name: 'ItemsPerMessage' | 'BytesPerMessage'): number | undefined => {
    const found = variables.find(
      (v) =>
        v.component === LIMITS_COMPONENT &&
        v.attributeType === 'Actual' &&
        ((v.variable === name && v.variableInstance === message) ||
          (v.variable === `${name}${message}` && v.variableInstance === null)),
    );
    const limit = Number(found?.value ?? Number.NaN);
    return Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
  };
  const items = valueOf('ItemsPerMessage');
  const bytes = valueOf('BytesPerMessage');
  return { ...(items !== undefined && { items }), ...(bytes !== undefined && { bytes }) };
}

/**
 * Splits `items`, in order, into as few consecutive parts as the limits allow: at most
 * `limits.items` items, and a message of at most `limits.bytes` bytes, `bytesOf(part)` being the
 * size of the message that carries `part`. An item too large for any message is a part of its
 * own (the caller decides what to do with it: `bytesOf` of that part exceeds the limit).
 */
export function partsOf<T>(
  items: readonly T[],
  limits: MessageLimits,
  bytesOf: (part: readonly T[]) => number,
): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  for (const item of items) {
    const candidate = [...part, item];
    const full =
      (limits.items !== undefined && candidate.length > limits.items) ||
      (limits.bytes !== undefined && bytesOf(candidate) > limits.bytes);
    if (full && part.length > 0) {
      parts.push(part);
      part = [item];
    } else {
      part = candidate;
    }
  }
  if (part.length > 0) parts.push(part);
  return parts;
}
