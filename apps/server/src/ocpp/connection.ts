import type { FastifyBaseLogger } from 'fastify';
import { webSocketOf, type RPCClient } from './rpc.js';
import type { StationConnection } from '../cluster/station-presence.js';
import { AppError } from '../errors.js';
import type { Admission, ChargePointSession } from '../services/charge-point.service.js';
import { useProtocolErrorCodes } from './error-codes.js';
import { HandlerTable, type Handler } from './handler-table.js';
import { commandFailure, noteInvalidAnswer, toCallError } from './call-errors.js';
import type { RecentAnswers } from './recent-answers.js';

/**
 * Calls of one charge point read but not yet answered, past which its socket is not read until
 * one is answered. OCPP-J 1.6 §4.1.1 lets a party send a CALL only once its earlier ones are
 * answered; a charge point that sends a few at once (its statuses after a boot) is served as
 * before, but one that streams thousands would otherwise have every frame parsed and held in
 * memory while the database works through them (15,000 MeterValues frames of 15 KB, 220 MB on
 * the wire, took the process past 2 GB). Paused, its frames wait in TCP buffers, and the peer
 * can send no faster than it is answered.
 */
export const MAX_CALLS_WAITING = 16;

/** What a connection answers with before `serve`: nothing. */
const NO_HANDLERS = new HandlerTable();

/** Each connection by its client, for the listeners every connection shares (`this`: the client). */
const CONNECTIONS = new WeakMap<RPCClient, ChargePointConnection>();

/** The connection of an ocpp-rpc client (for a listener, whose `this` is the client). */
export function connectionOf(client: RPCClient): ChargePointConnection | undefined {
  return CONNECTIONS.get(client);
}

function noteSeen(this: RPCClient, { outbound }: { outbound: boolean }): void {
  const connection = CONNECTIONS.get(this);
  if (!outbound && connection) connection.lastSeen = Date.now();
}

/**
 * One charge point's WebSocket, seen from the central system: its calls are handled one at a
 * time in arrival order (so its events keep their order), a repeated message id is answered
 * from memory instead of being applied twice, and the time of its last frame is kept for
 * liveness. (Its frames go to the message log through logFrames, which the OCPP server attaches.)
 */
export class ChargePointConnection implements StationConnection {
  readonly chargePointId: string;
  /** Epoch ms of the last frame received. */
  lastSeen = Date.now();
  private queue: Promise<unknown> = Promise.resolve();
  /** Calls read and not yet answered (see MAX_CALLS_WAITING). */
  private waiting = 0;
  /** The message id of the call being handled now (calls are handled one at a time). */
  private handling = '';
  /** The handlers of the station's OCPP version (`serve`). */
  private table = NO_HANDLERS;
  /** Set while an unknown charge point has to send its BootNotification (`closeUnlessBootedWithin`). */
  private bootDeadline: NodeJS.Timeout | undefined;

  constructor(
    readonly client: RPCClient,
    readonly admission: Admission,
    private readonly recent: RecentAnswers,
    /** Re-reads a station's stored registration into its session (an approval meanwhile). */
    private readonly refreshRegistration: (session: ChargePointSession) => Promise<void>,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.chargePointId = admission.chargePointId;
    useProtocolErrorCodes(client);
    // Listeners shared by every connection (20,000 idle ones hold no closure of their own).
    CONNECTIONS.set(client, this);
    client.on('message', noteSeen);
    client.on('strictValidationFailure', noteInvalidAnswer);
  }

  /**
   * True while a call of the station waits for its answer: a station that waits for the central
   * system is not silent (during a boot storm on a busy database its BootNotification can wait
   * longer than 2.5 heartbeat intervals, and its socket was closed as silent meanwhile).
   */
  get awaitingAnswer(): boolean {
    return this.waiting > 0;
  }

  /** True once the central system accepted the station's registration (not merely this socket). */
  get accepted(): boolean {
    return this.admission.station?.registration === 'accepted';
  }

  /**
   * Answers the station's calls with `table`'s handlers. Those registered with `handle` are open
   * only to a station whose registration is accepted: OCPP 1.6 §4.2 lets a charge point send
   * nothing but BootNotification until the central system answered it Accepted or Pending, and a
   * pending one is not yet trusted with anything that would be stored (connectors, transactions,
   * events). Any other sender gets the CallError SecurityError and nothing is stored. "Accepted"
   * is the stored registration, so a known station that reconnects may report at once, without
   * booting again (many do not). The gate is checked when the call's turn comes, after a
   * BootNotification queued before it, and a pending station's registration is read again then,
   * so that an approval counts at once, also for a charge point that does not boot again when asked to.
   */
  serve(table: HandlerTable): void {
    this.table = table;
    for (const action of table.actions) this.client.handle(action, this.dispatch);
  }

  /**
   * Every action's handler is reached through this one function of the connection (not two
   * closures per action and connection: 1.6 KB less heap per idle 1.6 station, 22.2 to 20.5 KB).
   */
  private readonly dispatch = ({
    method = '',
    params,
    messageId,
  }: {
    method?: string;
    params?: unknown;
    messageId?: string;
  }) =>
    this.serially(() => {
      this.handling = messageId ?? '';
      return this.answerOnce(method, messageId ?? '', () => this.run(method, params));
    });

  /** Runs an action's handler; one not open before acceptance passes the gate (see `serve`) first. */
  private async run(action: string, params: unknown): Promise<object> {
    // Strict mode has validated `params` against the action's official schema before this runs.
    const handler = this.table.handlerOf(action) as Handler;
    if (this.table.isOpen(action)) {
      const answer = await handler(params, undefined as never, this);
      // Its BootNotification registered it: the deadline has been met.
      if (this.bootDeadline !== undefined && this.admission.station !== null) this.dropBootDeadline();
      return answer;
    }
    const session = this.admission.station;
    if (session && session.registration !== 'accepted') await this.refreshRegistration(session);
    if (session?.registration !== 'accepted') {
      throw new AppError(
        'PERMISSION_REQUIRED',
        `${this.chargePointId} is not accepted by the central system`,
      );
    }
    return handler(params, session, this);
  }

  /**
   * Runs `work` once the answer to the call being handled has been sent: a CALL the central
   * system must send after its answer, such as CertificateSigned after SignCertificate.conf
   * (OCPP 1.6 security whitepaper §3.2). ocpp-rpc sends the answer right after its
   * `callResult` event; nothing runs when the call is answered with an error instead.
   */
  afterAnswer(work: () => Promise<void>): void {
    const messageId = this.handling;
    const done = ({ messageId: id }: { messageId: string }) => {
      if (id !== messageId) return false;
      this.client.off('callResult', onResult);
      this.client.off('callError', onError);
      return true;
    };
    const onResult = (event: { messageId: string }) => {
      if (!done(event)) return;
      setImmediate(() => {
        work().catch((error: unknown) =>
          this.logger.error({ err: error, chargePointId: this.chargePointId }, 'work after an answer failed'),
        );
      });
    };
    const onError = (event: { messageId: string }) => void done(event);
    this.client.on('callResult', onResult);
    this.client.on('callError', onError);
  }

  async call(action: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    try {
      return await this.client.call(action, payload, { callTimeoutMs: timeoutMs });
    } catch (error) {
      throw commandFailure(this.chargePointId, action, timeoutMs, error);
    }
  }

  /**
   * Runs `work` as the next answer to the station goes out (ocpp-rpc emits it just before it
   * writes the frame): for what may only follow an answer, such as a command after BootNotification.
   */
  afterNextAnswer(work: () => void): void {
    const listener = (event: { outbound: boolean }) => {
      if (!event.outbound) return;
      this.client.off('response', listener);
      work();
    };
    this.client.on('response', listener);
  }

  /**
   * Closes the socket (1008) unless the charge point is registered within `ms`: an unknown one is
   * stored only at its first valid BootNotification, and one that opens a socket and sends none
   * may not hold it (and a place among the newcomers) for ever.
   */
  closeUnlessBootedWithin(ms: number): void {
    this.bootDeadline = setTimeout(() => {
      this.bootDeadline = undefined;
      if (this.admission.station !== null) return;
      this.logger.info(
        { chargePointId: this.chargePointId },
        'unknown charge point sent no BootNotification: closing',
      );
      void this.close(1008, 'No BootNotification in time').catch(() => undefined);
    }, ms);
    this.bootDeadline.unref();
  }

  /** The boot deadline no longer applies (the station booted, or its socket closed). */
  dropBootDeadline(): void {
    clearTimeout(this.bootDeadline);
    this.bootDeadline = undefined;
  }

  /** @param force drop the socket at once, without a closing handshake (for a dead peer). */
  async close(code: number, reason: string, force = false): Promise<void> {
    await this.client.close({ code, reason, force });
  }

  /** Closes the socket once every answer under way has been sent. */
  closeAfterAnswers(code: number, reason: string): void {
    void this.closeWhenAnswered(code, reason);
  }

  /** As closeAfterAnswers; resolves once the socket is closed. */
  async closeWhenAnswered(code: number, reason: string): Promise<void> {
    await this.client.close({ code, reason, awaitPending: true }).catch(() => undefined);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    if (++this.waiting === MAX_CALLS_WAITING) webSocketOf(this.client)?.pause();
    const result = this.queue.then(work, work).finally(() => {
      if (this.waiting-- === MAX_CALLS_WAITING) webSocketOf(this.client)?.resume();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async answerOnce(
    action: string,
    messageId: string,
    work: () => Promise<object> | object,
  ): Promise<Record<string, unknown>> {
    const known = await this.recent.get(this.chargePointId, messageId, action);
    if (known !== undefined) return known as Record<string, unknown>;
    try {
      const answer = (await work()) as Record<string, unknown>;
      // Only a registered station's: an unknown charge point changed nothing a retry could
      // repeat, and remembering for every id that ever connected would grow without end.
      if (this.admission.station !== null)
        await this.recent.set(this.chargePointId, messageId, action, answer);
      return answer;
    } catch (error) {
      const callError = toCallError(error);
      // A refusal the rules foresee is routine; anything else is a fault someone must see.
      const expected = (callError as { rpcErrorCode?: string }).rpcErrorCode !== 'InternalError';
      const details = { chargePointId: this.chargePointId, action, messageId, err: error };
      if (expected) this.logger.info(details, 'OCPP call refused');
      else this.logger.error(details, 'OCPP handler failed');
      throw callError;
    }
  }
}
