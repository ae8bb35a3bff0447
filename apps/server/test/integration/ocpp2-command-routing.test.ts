import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { eventually } from '../support/ocpp-client.js';
import { bootStation2 } from '../support/ocpp2-client.js';
import { recordingHandlers, type Received } from '../support/station2-answers.js';
import { withTestApp, withTwoNodes } from '../support/use-test-app.js';

describe.each(DIALECTS)('approving a pending 2.0.1 station on %s', (dialect) => {
  it('asks a pending 2.0.1 station to boot again once it is approved, on the approver’s command trail', async () => {
    await withTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'pending' } }, async (app) => {
      const received: Received[] = [];
      const { client, boot } = await bootStation2(app.url, 'PEND-201', {
        handlers: recordingHandlers(received),
      });
      try {
        expect(boot.status).toBe('Pending');
        const { token } = await app.login();
        const approved = await app.request('POST', '/api/stations/PEND-201/approve', { token });
        expect(approved.status, approved.text).toBe(200);
        await eventually(() => received.some((m) => m.action === 'TriggerMessage'));
        expect(received.find((m) => m.action === 'TriggerMessage')?.params).toEqual({
          requestedMessage: 'BootNotification',
        });
        await eventually(async () => {
          const trail = await app.request('GET', '/api/stations/PEND-201/commands', { token });
          return trail.body.items[0]?.outcome === 'answered';
        });
        const trail = await app.request('GET', '/api/stations/PEND-201/commands', { token });
        expect(trail.body.items[0]).toMatchObject({ action: 'TriggerMessage', username: 'admin' });
      } finally {
        await client.close({ force: true });
      }
    });
  });
});

describe('commands to a 2.0.1 station held by another node (PostgreSQL and Redis)', () => {
  it('reaches it from any node: neutral routes, variables and the commands endpoint', async () => {
    const dialect = 'postgres';
    await withTwoNodes(
      dialect,
      { OCPP_UNKNOWN_STATIONS: 'accept', OCPP_CALL_TIMEOUT_MS: '1000' },
      async (nodeA, nodeB) => {
        const id = `XN2-${randomBytes(3).toString('hex')}`;
        const received: Received[] = [];
        const { client } = await bootStation2(nodeA.url, id, { handlers: recordingHandlers(received) });
        try {
          const { token } = await nodeB.login();
          const reset = await nodeB.request('POST', `/api/stations/${id}/reset`, {
            token,
            body: { type: 'Hard' },
          });
          expect(reset.body).toEqual({ status: 'Accepted' });
          expect(received.at(-1)).toEqual({ action: 'Reset', params: { type: 'Immediate' } });
          const changed = await nodeB.request('PATCH', `/api/stations/${id}/variables`, {
            token,
            body: [{ component: 'TxCtrlr', variable: 'EVConnectionTimeOut', value: '90' }],
          });
          expect(changed.body.results).toEqual([
            {
              component: 'TxCtrlr',
              variable: 'EVConnectionTimeOut',
              attributeType: 'Actual',
              attributeStatus: 'Accepted',
            },
          ]);
          const kept = await nodeA.request('GET', `/api/stations/${id}/variables?component=TxCtrlr`, {
            token,
          });
          expect(kept.body.items).toEqual([
            {
              component: 'TxCtrlr',
              variable: 'EVConnectionTimeOut',
              attributeType: 'Actual',
              value: '90',
              mutability: null,
            },
          ]);
          const wrong = await nodeB.request('POST', `/api/stations/${id}/commands/GetConfiguration`, {
            token,
            body: {},
          });
          expect(wrong.body.error.code).toBe('UNSUPPORTED_ACTION');
        } finally {
          await client.close({ force: true });
        }
      },
    );
  });
});
