import ocppRpc from 'ocpp-rpc';

/**
 * ocpp-rpc is CommonJS whose error classes Node cannot see as named ES exports (they are spread
 * into module.exports), so everything is taken from the default export here, once.
 */
export const { RPCServer, createRPCError, TimeoutError } = ocppRpc;
export type RPCServer = InstanceType<typeof ocppRpc.RPCServer>;
export type RPCClient = InstanceType<typeof ocppRpc.RPCClient>;

/** The part of a `ws` WebSocket used for backpressure. */
export interface PausableSocket {
  pause(): void;
  resume(): void;
}

/**
 * The `ws` WebSocket under an ocpp-rpc server client, which ocpp-rpc keeps in `_ws`
 * (lib/server-client.js) without a way of its own to stop reading from it.
 */
export function webSocketOf(client: RPCClient): PausableSocket | undefined {
  const socket = (client as unknown as { _ws?: Partial<PausableSocket> })._ws;
  return typeof socket?.pause === 'function' && typeof socket.resume === 'function'
    ? (socket as PausableSocket)
    : undefined;
}
