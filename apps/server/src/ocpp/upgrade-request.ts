/**
 * What an OCPP upgrade request says before ocpp-rpc reads it: the charge point id of its path
 * and whether its subprotocol header is readable. Both are read here first, so that a bad one is
 * the client's mistake, answered 400 or 404, and not a failure inside ocpp-rpc.
 */
import wsUtil from 'ocpp-rpc/lib/ws-util.js';
import { isChargePointId } from '@cimorings/contracts';

/** The path prefix of the OCPP endpoint: `ws://HOST:PORT/ocpp/{chargePointId}`. */
export const OCPP_PATH = '/ocpp';
/**
 * Charge point ids we accept in the URL: printable, no separators, at most 48 characters, and
 * not a dot segment (`.`, `..`), which URL normalization would swallow.
 */
export const isIdentity = (id: string): boolean => id !== '.' && id !== '..' && isChargePointId(id);

/**
 * Reads the charge point id of an OCPP upgrade's path, `/ocpp/{chargePointId}`, before
 * ocpp-rpc does: ocpp-rpc decodes it with `decodeURIComponent` outside any try, so a malformed
 * percent-encoding would throw in a promise nobody awaits. Anything but one segment holding a
 * valid id is answered here, with the status the admission would give it.
 */
export function readStationPath(url: string): { identity: string } | { status: 400 | 404; message: string } {
  const path = url.split('?')[0] ?? '';
  const rest = path.slice(`${OCPP_PATH}/`.length);
  if (!path.startsWith(`${OCPP_PATH}/`) || rest.includes('/')) {
    return { status: 404, message: 'Unknown OCPP endpoint' };
  }
  let identity: string;
  try {
    identity = decodeURIComponent(rest);
  } catch {
    return { status: 400, message: 'Malformed percent-encoding in the charge point id' };
  }
  return isIdentity(identity) ? { identity } : { status: 400, message: 'Invalid charge point id' };
}

/**
 * False for a `Sec-WebSocket-Protocol` header that is not a comma-separated list of distinct
 * tokens (RFC 6455 §4.1): `ocpp1.6,ocpp1.6`, `,,`, an empty header. ocpp-rpc parses the header
 * with this same function inside its upgrade handler, where its SyntaxError becomes a 500 that
 * nothing logs; read first here, it is the client's mistake and answered 400.
 */
export function readableSubprotocols(header: string | undefined): boolean {
  if (header === undefined) return true;
  try {
    wsUtil.parseSubprotocols(header);
    return true;
  } catch {
    return false;
  }
}
