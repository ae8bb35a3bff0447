import type { v201 } from '@cimorings/ocpp';
import { RPCServer } from 'ocpp-rpc';
import { officialValidator } from '@cimorings/ocpp/schemas';
import { type RpcServerClient, TestRpcServer } from './test-rpc-server.js';

/** One request a station sent to the test CSMS. */
export interface V2Call {
  identity: string;
  action: v201.Action;
  params: Record<string, unknown>;
}

/**
 * A minimal OCPP 2.0.1 / 2.1 CSMS on a real ocpp-rpc server on port 0, strict about the official
 * schemas of the negotiated version in both directions. It answers every station request,
 * records them, and sends commands to connected stations.
 */
export class TestCsmsV2 extends TestRpcServer {
  readonly calls: V2Call[] = [];
  /** The subprotocol each station connected with. */
  readonly protocols = new Map<string, string | undefined>();

  private constructor(
    server: RPCServer,
    private readonly idTokenStatus: (idToken: string) => v201.AuthorizationStatusEnumType,
  ) {
    super(server);
  }

  static async start(
    idTokenStatus: (idToken: string) => v201.AuthorizationStatusEnumType = () => 'Accepted',
  ): Promise<TestCsmsV2> {
    const server = new RPCServer({
      protocols: ['ocpp2.1', 'ocpp2.0.1'],
      strictMode: true,
      strictModeValidators: [officialValidator('ocpp2.1') as never],
    });
    const csms = new TestCsmsV2(server, idTokenStatus);
    await csms.listen();
    return csms;
  }

  protected serve(identity: string, client: RpcServerClient): void {
    this.protocols.set(identity, client.protocol ?? undefined);
    client.handle(async ({ method, params }) => {
      this.calls.push({ identity, action: method as v201.Action, params: params as Record<string, unknown> });
      return this.answer(method ?? '', params as Record<string, unknown>);
    });
  }

  private answer(action: string, params: Record<string, unknown>): Record<string, unknown> {
    const currentTime = new Date().toISOString();
    const verdict = (token: unknown) => ({ status: this.idTokenStatus((token as v201.IdTokenType).idToken) });
    switch (action) {
      case 'BootNotification':
        return { status: 'Accepted', currentTime, interval: 1 };
      case 'Heartbeat':
        return { currentTime };
      case 'Authorize':
        return { idTokenInfo: verdict(params.idToken) };
      case 'TransactionEvent':
        return params.idToken ? { idTokenInfo: verdict(params.idToken) } : {};
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      default:
        return {};
    }
  }

  /** The requests of one action received so far, as sent. */
  received<A extends v201.Action>(action: A, identity?: string): v201.Request<A>[] {
    return this.calls
      .filter((c) => c.action === action && (identity === undefined || c.identity === identity))
      .map((c) => c.params as v201.Request<A>);
  }

  /** Resolves once `count` requests of `action` arrived, or rejects after `timeoutMs`. */
  async waitForCalls<A extends v201.Action>(
    action: A,
    count = 1,
    timeoutMs = 5000,
  ): Promise<v201.Request<A>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received(action).length < count) {
      if (Date.now() > deadline) throw new Error(`${count} ${action} not received within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received(action);
  }

  /** Sends a command to a connected station and resolves with its answer. */
  async command<A extends v201.Action>(
    identity: string,
    action: A,
    request: v201.Request<A>,
  ): Promise<v201.Actions[A]['response']> {
    return (await this.connected(identity).call(action, request)) as v201.Actions[A]['response'];
  }
}
