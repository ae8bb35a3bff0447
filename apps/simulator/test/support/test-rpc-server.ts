import type { AddressInfo } from 'node:net';
import type { RPCServer } from 'ocpp-rpc';
import type * as serverClient from 'ocpp-rpc/lib/server-client.js';

/** ocpp-rpc's server-side connection to one station. */
export type RpcServerClient = serverClient.default;

/**
 * What both test central systems (1.6 and 2.x) do with their real ocpp-rpc server: listen on
 * port 0, keep each connected station's client by identity, and record every schema violation
 * in either direction. The protocol's subclass answers the requests.
 */
export abstract class TestRpcServer {
  /** Schema violations seen in either direction; a correct simulator leaves this empty. */
  readonly violations: string[] = [];
  /** The OCPP endpoint, `ws://127.0.0.1:{port}/ocpp`, once listening. */
  url = '';
  private readonly clients = new Map<string, RpcServerClient>();

  protected constructor(private readonly server: RPCServer) {}

  /** Starts listening on a free port of 127.0.0.1; each station that connects goes to {@link serve}. */
  protected async listen(): Promise<void> {
    this.server.on('client', (client: RpcServerClient) => {
      const identity = client.identity ?? '';
      this.clients.set(identity, client);
      client.on('close', () => {
        if (this.clients.get(identity) === client) this.clients.delete(identity);
      });
      client.on('strictValidationFailure', ({ method, error }: { method: string; error: Error }) =>
        this.violations.push(`${method}: ${error.message}`),
      );
      this.serve(identity, client);
    });
    const http = await this.server.listen(0, '127.0.0.1');
    this.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`;
  }

  /** Answers the requests of a station that just connected. */
  protected abstract serve(identity: string, client: RpcServerClient): void;

  /** The client of a connected station, `undefined` when it is not connected. */
  protected client(identity: string): RpcServerClient | undefined {
    return this.clients.get(identity);
  }

  /** The client of a connected station; throws when it is not connected. */
  protected connected(identity: string): RpcServerClient {
    const client = this.clients.get(identity);
    if (!client) throw new Error(`${identity} is not connected`);
    return client;
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
  }
}
