import type { V2Connection } from '../connection.js';
import { registerAuthorizationAndReservations } from './reservations.js';
import { registerMaintenance } from './maintenance.js';
import { registerProvisioning } from './provisioning.js';
import { registerRemoteControl } from './remote-control.js';
import { registerSmartCharging } from './smart-charging.js';
import type { V2CommandContext, V2Register } from './types.js';

/**
 * Registers an answer to every message a CSMS may send a 2.0.1 charging station; each answer is
 * reported as a `command` event just before it goes out. The messages of a Local Controller
 * (PublishFirmware, UnpublishFirmware) and of ISO 15118 certificate handling get ocpp-rpc's
 * NotImplemented.
 */
export function registerV2Commands(connection: V2Connection, ctx: V2CommandContext): void {
  const on: V2Register = (action, handler) =>
    connection.handle(action, async (request) => {
      const response = await handler(request);
      ctx.emit('command', { action, request, response });
      return response;
    });
  registerProvisioning(on, ctx);
  registerRemoteControl(on, ctx);
  registerAuthorizationAndReservations(on, ctx);
  registerSmartCharging(on, ctx);
  registerMaintenance(on, ctx);
}
