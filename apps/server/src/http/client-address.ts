import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** The address of the client behind a request: what throttles, logs and the audit record. */
export type ClientAddressOf = (request: IncomingMessage) => string;

/**
 * Resolves client addresses the way Fastify's `trustProxy` does (CONTRACT section 1,
 * `TRUST_PROXY`): `X-Forwarded-For` is believed only for hops whose address is in `trusted`;
 * with no trusted proxy it is ignored and the socket's peer address is the client. Used for
 * WebSocket upgrades, which never pass through Fastify's request object.
 */
export function clientAddressResolver(trusted: readonly string[]): ClientAddressOf {
  if (trusted.length === 0) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trust = proxyAddr.compile([...trusted]);
  return (request) => {
    // A socket already closed has no peer address; proxy-addr needs one.
    if (request.socket.remoteAddress === undefined) return 'unknown';
    return proxyAddr(request, trust);
  };
}

/** Whether the peer of a request (the socket's address, not a forwarded one) is a TRUST_PROXY entry. */
export function trustedPeerResolver(trusted: readonly string[]): (request: IncomingMessage) => boolean {
  if (trusted.length === 0) return () => false;
  const trust = proxyAddr.compile([...trusted]);
  return (request) => {
    const address = request.socket.remoteAddress;
    return address !== undefined && trust(address, 0);
  };
}
