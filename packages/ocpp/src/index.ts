// The OCPP message types of every protocol we speak, generated from the official JSON schemas
// (src/generated, never edited by hand). Import a protocol as a namespace:
//   import type { v16 } from '@cimorings/ocpp';
//   const req: v16.Request<'BootNotification'> = ...;
// Types only: safe for the dashboard. The schemas themselves are in '@cimorings/ocpp/schemas'.
export type * as v16 from './v16.js';
export type * as v201 from './v201.js';
export type * as v21 from './v21.js';
export {
  CHARGE_POINT_ACTIONS as V16_CHARGE_POINT_ACTIONS,
  CENTRAL_SYSTEM_ACTIONS as V16_CENTRAL_SYSTEM_ACTIONS,
} from './v16.js';
