import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ClientCertificate, ConnectionSecurity } from '../domain/security-profile.js';

/** What a TLS-terminating proxy in TRUST_PROXY may tell about a connection. */
export interface ProxyTrust {
  /** Whether the request's peer (the socket's address) is one of the TRUST_PROXY entries. */
  isTrusted(request: IncomingMessage): boolean;
  /** TLS_PROXY_CLIENT_CERT_HEADER, lower case: where it passes the certificate it verified. */
  clientCertHeader: string | null;
}

/**
 * How an upgrade request reached the server: over TLS, and with which client certificate.
 * A TLS socket of this server says it itself (the certificate verified against
 * TLS_CLIENT_CA_FILE during the handshake). Behind a proxy that TRUST_PROXY lists, its
 * `X-Forwarded-Proto: https` (or `wss`) says the charge point used TLS up to it, and the
 * TLS_PROXY_CLIENT_CERT_HEADER, when configured, carries the certificate the proxy verified.
 */
export function connectionSecurityOf(request: IncomingMessage, proxy: ProxyTrust): ConnectionSecurity {
  const socket = request.socket as Partial<TLSSocket>;
  if (socket.encrypted === true && typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate();
    const presented = peer !== null && typeof peer === 'object' && Object.keys(peer).length > 0;
    const problem = socket.authorizationError as unknown as string | Error | null | undefined;
    return {
      tls: true,
      certificate: presented
        ? {
            verified: socket.authorized === true,
            commonName: typeof peer.subject?.CN === 'string' ? peer.subject.CN : null,
            problem:
              socket.authorized === true
                ? null
                : problem instanceof Error
                  ? problem.message
                  : (problem ?? 'unverified'),
            fingerprint: typeof peer.fingerprint256 === 'string' ? peer.fingerprint256 : null,
          }
        : null,
    };
  }
  if (!proxy.isTrusted(request)) return { tls: false, certificate: null };
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase();
  const header = proxy.clientCertHeader === null ? undefined : request.headers[proxy.clientCertHeader];
  const certificate = typeof header === 'string' && header !== '' ? forwardedCertificate(header) : null;
  return { tls: forwarded === 'https' || forwarded === 'wss' || certificate !== null, certificate };
}

/**
 * The certificate a proxy passed on: PEM (nginx `$ssl_client_escaped_cert`) or base64 DER
 * (HAProxy `ssl_c_der,base64`, Traefik), URL-encoded or not. The proxy verified its chain; the
 * dates are checked again here, and one that cannot be read is unverified.
 */
function forwardedCertificate(header: string): ClientCertificate {
  try {
    const text = decodeURIComponent(header.trim());
    const certificate = new X509Certificate(text.includes('-----BEGIN') ? text : Buffer.from(text, 'base64'));
    const commonNames = certificate.subject.split('\n').filter((part) => part.startsWith('CN='));
    const now = Date.now();
    const current = Date.parse(certificate.validFrom) <= now && now <= Date.parse(certificate.validTo);
    return {
      verified: current,
      commonName: commonNames.length === 1 ? (commonNames[0]?.slice(3) ?? null) : null,
      problem: current ? null : 'CERT_NOT_CURRENT (as passed by the proxy)',
      fingerprint: certificate.fingerprint256,
    };
  } catch {
    return {
      verified: false,
      commonName: null,
      problem: 'unreadable certificate passed by the proxy',
      fingerprint: null,
    };
  }
}
