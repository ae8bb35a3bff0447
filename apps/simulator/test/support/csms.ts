import type { v16 } from '@cimorings/ocpp';
import { RPCServer } from 'ocpp-rpc';
import { type RpcServerClient, TestRpcServer } from './test-rpc-server.js';

/** One request a charge point sent to the test central system. */
export interface ReceivedCall<A extends v16.ChargePointAction = v16.ChargePointAction> {
  identity: string;
  action: A;
  params: v16.Request<A>;
}

/** How the test central system answers. */
export interface TestCsmsOptions {
  /** Registration status for the n-th BootNotification of a station (1-based). Default Accepted. */
  bootStatus?: (attempt: number) => v16.RegistrationStatus;
  /** BootNotification interval, seconds. Default 1. */
  interval?: number;
  /** Verdict on an id tag in Authorize and StartTransaction. Default Accepted. */
  idTagStatus?: (idTag: string) => v16.AuthorizationStatus;
  /** When set, the WebSocket upgrade needs HTTP Basic auth with this password (401 otherwise). */
  password?: () => string;
}

type Waiter = {
  action: v16.ChargePointAction;
  predicate: (call: ReceivedCall) => boolean;
  resolve: (call: ReceivedCall) => void;
};

/**
 * A minimal central system on a real ocpp-rpc server on port 0, strict about the OCPP 1.6
 * schemas in both directions. It answers every charge point request, records them, and sends
 * commands to connected stations.
 */
export class TestCsms extends TestRpcServer {
  readonly calls: ReceivedCall[] = [];
  /** Passwords presented on each upgrade, in order (`undefined` when none was sent). */
  readonly passwords: (string | undefined)[] = [];
  private readonly boots = new Map<string, number>();
  private waiters: Waiter[] = [];
  private nextTransactionId = 1;

  private constructor(
    server: RPCServer,
    private readonly options: TestCsmsOptions,
  ) {
    super(server);
  }

  static async start(options: TestCsmsOptions = {}): Promise<TestCsms> {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    const csms = new TestCsms(server, options);
    server.auth((accept, reject, handshake) => {
      const password = handshake.password?.toString('utf8');
      csms.passwords.push(password);
      if (options.password && password !== options.password()) return reject(401, 'Unauthorized');
      accept();
    });
    await csms.listen();
    return csms;
  }

  protected serve(identity: string, client: RpcServerClient): void {
    client.handle(async ({ method, params }) => {
      const call = { identity, action: method, params } as ReceivedCall;
      this.calls.push(call);
      this.waiters = this.waiters.filter(
        (w) => !(w.action === call.action && w.predicate(call) && (w.resolve(call), true)),
      );
      return this.answer(call);
    });
  }

  private answer(call: ReceivedCall): Record<string, unknown> {
    const now = new Date().toISOString();
    const idTagInfo = (idTag: string) => ({ status: this.options.idTagStatus?.(idTag) ?? 'Accepted' });
    switch (call.action) {
      case 'BootNotification': {
        const attempt = (this.boots.get(call.identity) ?? 0) + 1;
        this.boots.set(call.identity, attempt);
        const status = this.options.bootStatus?.(attempt) ?? 'Accepted';
        return { status, currentTime: now, interval: this.options.interval ?? 1 };
      }
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return { idTagInfo: idTagInfo((call.params as v16.Request<'Authorize'>).idTag) };
      case 'StartTransaction':
        return {
          transactionId: this.nextTransactionId++,
          idTagInfo: idTagInfo((call.params as v16.Request<'StartTransaction'>).idTag),
        };
      case 'StopTransaction':
        return {};
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      default:
        return {};
    }
  }

  /** Resolves with the first matching request, already received or still to come. */
  waitForCall<A extends v16.ChargePointAction>(
    action: A,
    predicate: (params: v16.Request<A>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<v16.Request<A>> {
    const matches = (call: ReceivedCall): boolean =>
      call.action === action && predicate(call.params as v16.Request<A>);
    const seen = this.calls.find(matches);
    if (seen) return Promise.resolve(seen.params as v16.Request<A>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${action} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        action,
        predicate: matches,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call.params as v16.Request<A>);
        },
      });
    });
  }

  /** The requests of one action received so far. */
  received<A extends v16.ChargePointAction>(action: A): v16.Request<A>[] {
    return this.calls.filter((c) => c.action === action).map((c) => c.params as v16.Request<A>);
  }

  /** Forgets the requests received so far. */
  clearCalls(): void {
    this.calls.length = 0;
  }

  /** Sends a command to a connected station and resolves with its answer. */
  async command<A extends v16.CentralSystemAction>(
    identity: string,
    action: A,
    request: v16.Request<A>,
  ): Promise<v16.Response<A>> {
    return (await this.connected(identity).call(action, request)) as v16.Response<A>;
  }

  /** Sends any action, also one the simulator does not handle, and resolves with the answer. */
  async rawCommand(
    identity: string,
    action: string,
    request: Record<string, unknown>,
    callTimeoutMs = 5000,
  ): Promise<unknown> {
    return this.connected(identity).call(action, request, { callTimeoutMs });
  }

  /** Drops a station's socket without a closing handshake, like a network failure. */
  async dropConnection(identity: string): Promise<void> {
    await this.client(identity)?.close({ force: true });
  }
}
