import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderProtocol } from '../scripts/render.js';
import { actionSchemas, PROTOCOLS, protocolSchemas } from '../src/schemas.js';
import { CENTRAL_SYSTEM_ACTIONS, CHARGE_POINT_ACTIONS, type Request, type Response } from '../src/v16.js';
import type * as v201 from '../src/v201.js';

describe('generated OCPP types', () => {
  it.each(PROTOCOLS.map((p) => [p.subprotocol, p] as const))(
    '%s: the committed module is what the generator makes of the schemas now',
    async (_name, protocol) => {
      const committed = await readFile(
        new URL(`../src/generated/${protocol.module}.ts`, import.meta.url),
        'utf8',
      );
      // Run `npm run generate -w @cimorings/ocpp` when this fails after an ocpp-rpc upgrade.
      expect(committed).toBe(await renderProtocol(protocol));
    },
    // 2.1 is generated twice and 2.0.1 once more to find what 2.1 takes from it.
    30_000,
  );

  it('OCPP 1.6: every action has a request and a response schema, and a direction', () => {
    const actions = [...actionSchemas(protocolSchemas('ocpp1.6')).keys()];
    expect(actions).toHaveLength(39);
    for (const action of actionSchemas(protocolSchemas('ocpp1.6')).values()) {
      expect(action.request.$id).toMatch(/\.req$/);
      expect(action.response?.$id).toMatch(/\.conf$/);
    }
    const directed = new Set<string>([...CHARGE_POINT_ACTIONS, ...CENTRAL_SYSTEM_ACTIONS]);
    expect([...directed].sort()).toEqual(actions);
  });

  it('OCPP 2.1: a SEND-only message has a request schema and no response', () => {
    const actions = actionSchemas(protocolSchemas('ocpp2.1'));
    expect(actions.get('NotifyPeriodicEventStream')?.response).toBeUndefined();
    expect(actions.get('TransactionEvent')?.response?.$id).toBe('urn:TransactionEventResponse');
    expect(actionSchemas(protocolSchemas('ocpp2.0.1')).size).toBe(64);
  });

  it('the types follow the schemas: required fields, enumerations and nested objects', () => {
    const boot = {
      chargePointVendor: 'ACME',
      chargePointModel: 'X1',
    } satisfies Request<'BootNotification'>;
    const started = {
      idTagInfo: { status: 'ConcurrentTx' },
      transactionId: 7,
    } satisfies Response<'StartTransaction'>;
    const event = {
      eventType: 'Started',
      timestamp: '2026-11-30T00:00:00Z',
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: 'abc' },
    } satisfies v201.Request<'TransactionEvent'>;
    // @ts-expect-error: a status the schema does not list is not a registration status
    const wrong: Response<'BootNotification'>['status'] = 'Maybe';
    expect([boot.chargePointModel, started.transactionId, event.seqNo, wrong]).toEqual(['X1', 7, 0, 'Maybe']);
  });
});
