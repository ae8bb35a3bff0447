import type { Configuration } from '../configuration.js';
import type { ConnectorBank } from '../connectors.js';
import type { Emit } from '../events.js';
import type { MeterValueSampler } from '../meter-values.js';
import type { OcppConnection } from '../ocpp/connection.js';
import type { LogFn } from '../options.js';
import type { SessionManager } from '../sessions.js';
import { registerCoreCommands } from './core.js';
import { type FileTransfers, registerFirmwareCommands } from './firmware-management.js';
import { type LocalAuthList, registerLocalAuthListCommands } from './local-auth-list.js';
import { registerRemoteTriggerCommands } from './remote-trigger.js';
import { registerReservationCommands } from './reservation.js';
import { registerSecurityCommands, type SecurityDeps } from './security.js';
import { type ChargingProfiles, registerSmartChargingCommands } from './smart-charging.js';
import type { Lifecycle, Register } from './types.js';
import type { SimulatorTime } from '../time.js';

/** Everything the handlers of all feature profiles use. */
export interface CommandDeps {
  bank: ConnectorBank;
  sessions: SessionManager;
  sampler: MeterValueSampler;
  config: Configuration;
  transfers: FileTransfers;
  localAuthList: LocalAuthList;
  chargingProfiles: ChargingProfiles;
  lifecycle: Lifecycle;
  security: Omit<SecurityDeps, 'lifecycle'>;
  emit: Emit;
  log: LogFn;
  /** The clock the meters and charging profiles read. */
  time: SimulatorTime;
}

/**
 * Registers a handler for every request a central system may send in OCPP 1.6, one feature
 * profile at a time. Each answer is sent before the StatusNotifications and follow-up requests
 * it causes: those are held, then released once ocpp-rpc has sent the confirmation, which it
 * does within the tick the handler returned in.
 */
export function registerCommands(connection: OcppConnection, deps: CommandDeps): void {
  const { bank, sessions, sampler, config, transfers, lifecycle, emit, log } = deps;
  const register: Register = (action, handler) => {
    connection.handle(action, (request) => {
      const tasks: (() => Promise<unknown>)[] = [];
      bank.holdReports();
      try {
        const response = handler(request, (task) => tasks.push(task));
        emit('command', { action, request, response });
        return response;
      } finally {
        setImmediate(() => {
          bank.releaseReports();
          for (const task of tasks)
            task().catch((error: Error) => log('warn', `${action}: ${error.message}`));
        });
      }
    });
  };
  registerCoreCommands(register, { bank, sessions, config, lifecycle });
  registerFirmwareCommands(register, transfers);
  registerLocalAuthListCommands(register, deps.localAuthList);
  registerRemoteTriggerCommands(register, { bank, sampler, transfers, lifecycle });
  registerReservationCommands(register, bank);
  registerSmartChargingCommands(register, bank, deps.chargingProfiles, deps.time);
  registerSecurityCommands(register, { ...deps.security, lifecycle });
}
