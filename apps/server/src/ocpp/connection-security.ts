import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ConnectionSecurity } from '../domain/security-profile.js';

/** Whether a request's peer is one of the TRUST_PROXY addresses. */
export type TrustedPeer = (request: IncomingMessage) => boolean;

/**
 * How an upgrade request reached the server: over TLS, and with which client certificate.
 * A TLS socket of this server says it itself (the certificate verified against
 * TLS_CLIENT_CA_FILE during the handshake); behind a TLS-terminating proxy that TRUST_PROXY
 * lists, its `X-Forwarded-Proto: https` (or `wss`) says the charge point used TLS up to it.
 * Certificates seen only by a proxy are not read (README: not supported yet).
 */
export function connectionSecurityOf(request: IncomingMessage, trustedPeer: TrustedPeer): ConnectionSecurity {
  const socket = request.socket as Partial<TLSSocket>;
  if (socket.encrypted === true && typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate();
    const presented = peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
    const authorizationError = socket.authorizationError as unknown as string | Error | undefined;
    return {
      tls: true,
      certificate: presented
        ? {
            verified: socket.authorized === true,
            commonName: commonNameOf(peer.subject?.CN),
            problem:
              socket.authorized === true
                ? null
                : authorizationError instanceof Error
                  ? authorizationError.message
                  : (authorizationError ?? 'unverified'),
          }
        : null,
    };
  }
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase();
  return { tls: (forwarded === 'https' || forwarded === 'wss') && trustedPeer(request), certificate: null };
}

/** Node gives a repeated attribute as an array: a subject with two CNs names no one station. */
function commonNameOf(cn: string | string[] | undefined): string | null {
  return typeof cn === 'string' ? cn : null;
}
