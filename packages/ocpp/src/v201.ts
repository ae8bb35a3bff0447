// OCPP 2.0.1: the generated message types and the action map's helpers.
import type * as m from './generated/v201.js';

export type * from './generated/v201.js';

export type Action = keyof m.Actions;
export type Request<A extends Action> = m.Actions[A]['request'];
export type Response<A extends Action> = m.Actions[A] extends { response: infer R } ? R : never;
