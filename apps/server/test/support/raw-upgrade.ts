import { connect } from 'node:net';

/**
 * Sends a WebSocket upgrade request byte for byte as given, with no URL parsing or encoding on
 * the way (which `ws` and `fetch` would do), and answers the HTTP status of the reply, or 0
 * when the server closed the connection without one.
 */
export function rawUpgradeStatus(
  httpUrl: string,
  path: string,
  options: { protocol?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const { hostname, port } = new URL(httpUrl);
  const headers = {
    Host: `${hostname}:${port}`,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Protocol': options.protocol ?? 'ocpp1.6',
    ...options.headers,
  };
  const request =
    `GET ${path} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n') +
    '\r\n\r\n';
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(0));
  });
}
