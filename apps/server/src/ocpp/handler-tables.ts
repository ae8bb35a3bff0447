import type { FastifyBaseLogger } from 'fastify';
import type { ChargePointConnection } from './connection.js';
import { HandlerTable } from './handler-table.js';
import { registerV16Handlers, type V16Services } from './v16/handlers.js';
import { useOcpp21Frames } from './v2/frames.js';
import { registerV2Handlers, sendHandlers, type V2Services } from './v2/handlers.js';
import { v21Schemas } from './validation.js';

/** Gives a connection the handlers of its OCPP version (each version's table is built once). */
export type HandlerTables = (connection: ChargePointConnection) => void;

/**
 * The handler tables of each OCPP version over the same services: 1.6, or 2.0.1 (2.1 with its
 * own frames as well).
 */
export function handlerTables(services: V16Services & V2Services, log: FastifyBaseLogger): HandlerTables {
  const v16 = new HandlerTable();
  registerV16Handlers(v16, services);
  const v2 = new HandlerTable();
  registerV2Handlers(v2, services, log);
  return (connection) => {
    const { chargePointId, ocppVersion } = connection.admission;
    connection.serve(ocppVersion === '1.6' ? v16 : v2);
    if (ocppVersion === '2.1') {
      useOcpp21Frames(connection.client, chargePointId, v21Schemas, sendHandlers(chargePointId, log), log);
    }
  };
}
