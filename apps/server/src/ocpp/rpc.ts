import ocppRpc from 'ocpp-rpc';

/**
 * ocpp-rpc is CommonJS whose error classes Node cannot see as named ES exports (they are spread
 * into module.exports), so everything is taken from the default export here, once.
 */
export const { RPCServer, createRPCError, TimeoutError } = ocppRpc;
export type RPCServer = InstanceType<typeof ocppRpc.RPCServer>;
export type RPCClient = InstanceType<typeof ocppRpc.RPCClient>;
