import { request } from 'node:https';
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { TestResponse } from './test-app.js';

/** Who a TLS client trusts and, for security profile 3, which certificate it presents. */
export interface TlsClientOptions {
  /** PEM of the CA that issued the server certificate. */
  ca: string;
  /** PEM client certificate and key. */
  cert?: string;
  key?: string;
}

/** An HTTPS request that trusts `ca` (fetch cannot be told a CA without undici). */
export function httpsRequest(
  url: string,
  tls: TlsClientOptions,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const outgoing = request(
      url,
      {
        ...tls,
        method: options.method ?? 'GET',
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve({ status: response.statusCode ?? 0, headers, body: parsed, text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Opens a new TLS connection to `url`'s host and port and answers the certificate the server
 * presented, or rejects with the handshake's error.
 */
export function serverCertificate(
  url: string,
  tls: TlsClientOptions & Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'>,
): Promise<PeerCertificate> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ...tls }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** Logs in as `username` over HTTPS; answers the token. */
export async function httpsLogin(appUrl: string, ca: string, username: string, password: string) {
  const login = await httpsRequest(
    `${appUrl}/api/auth/login`,
    { ca },
    {
      method: 'POST',
      body: { username, password },
    },
  );
  if (login.status !== 200) throw new Error(`login as ${username} failed: ${login.status} ${login.text}`);
  return login.body.token as string;
}
