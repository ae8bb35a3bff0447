import type { CommandProtocols } from '../services/charge-point-commands.js';
import { v16CommandProtocol } from './v16/commands.js';
import { v2CommandProtocol } from './v2/commands.js';

/** The command adapter of each OCPP version a station may speak (2.1 as 2.0.1, with its schemas). */
export const COMMAND_PROTOCOLS: CommandProtocols = {
  '1.6': v16CommandProtocol,
  '2.0.1': v2CommandProtocol('ocpp2.0.1'),
  '2.1': v2CommandProtocol('ocpp2.1'),
};
