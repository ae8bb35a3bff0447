// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { StationVariable } from '../../src/api';
import { actionsFor, triggerPayload, triggersFor } from '../../src/commands';
import CommandPanel from '../../src/components/stations/commands/CommandPanel.vue';
import MessageForm from '../../src/components/stations/commands/MessageForm.vue';
import DeviceModelEditor from '../../src/components/stations/DeviceModelEditor.vue';
import OcppVersionTag from '../../src/components/stations/OcppVersionTag.vue';
import { changeOf, groupVariables } from '../../src/variables';
import { fakeApi, page } from '../support/fake-api';
import { mountWithApp } from '../support/mount';

const variable = (
  fields: Partial<StationVariable> & Pick<StationVariable, 'component' | 'variable'>,
): StationVariable => ({
  attributeType: 'Actual',
  value: '1',
  mutability: 'ReadWrite',
  ...fields,
});

describe('groupVariables', () => {
  it('puts station-wide components first by name, then each EVSE and connector in order', () => {
    const groups = groupVariables([
      variable({ component: 'Connector', evseId: 2, connectorId: 1, variable: 'ConnectorType' }),
      variable({ component: 'TxCtrlr', variable: 'TxStopPoint' }),
      variable({ component: 'EVSE', evseId: 1, variable: 'Power' }),
      variable({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }),
      variable({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }),
      variable({ component: 'OCPPCommCtrlr', variable: 'MessageTimeout' }),
    ]);
    expect(groups.map((g) => [g.component, g.evseId, g.connectorId])).toEqual([
      ['OCPPCommCtrlr', undefined, undefined],
      ['TxCtrlr', undefined, undefined],
      ['EVSE', 1, undefined],
      ['Connector', 2, 1],
    ]);
    expect(groups[2]?.variables.map((v) => v.variable)).toEqual(['AvailabilityState', 'Power']);
  });

  it('names a change as the station names the variable, with the attribute only when not Actual', () => {
    expect(changeOf(variable({ component: 'EVSE', evseId: 1, variable: 'Power' }), '7400')).toEqual({
      component: 'EVSE',
      variable: 'Power',
      value: '7400',
      evseId: 1,
    });
    expect(changeOf(variable({ component: 'X', variable: 'Y', attributeType: 'Target' }), '2')).toMatchObject(
      {
        attributeType: 'Target',
      },
    );
  });
});

describe('the station protocol in the command forms', () => {
  it('offers each protocol its own messages and triggers', () => {
    expect(actionsFor('2.0.1')).toContain('RequestStartTransaction');
    expect(actionsFor('2.1')).not.toContain('RemoteStartTransaction');
    expect(actionsFor('1.6')).toContain('RemoteStartTransaction');
    expect(triggersFor('2.0.1')).toContain('TransactionEvent');
    expect(triggersFor('1.6')).toContain('DiagnosticsStatusNotification');
    expect(triggerPayload('2.0.1', 'StatusNotification', 2)).toEqual({
      requestedMessage: 'StatusNotification',
      evse: { id: 2 },
    });
    expect(triggerPayload('1.6', 'StatusNotification', 2)).toEqual({
      requestedMessage: 'StatusNotification',
      connectorId: 2,
    });
  });

  it('sends the everyday commands through the routes every station offers, and TriggerMessage in 2.0.1', async () => {
    const sent: unknown[][] = [];
    const { wrapper } = mountWithApp(CommandPanel, {
      props: {
        version: '2.0.1',
        connectors: [
          {
            connectorId: 1,
            status: 'Available',
            errorCode: 'NoError',
            timestamp: '2026-11-30T00:00:00.000Z',
          },
        ],
        control: (...args: unknown[]) => (
          sent.push(['control', ...args]),
          Promise.resolve({ status: 'Accepted' })
        ),
        send: (...args: unknown[]) => (sent.push(['send', ...args]), Promise.resolve({ status: 'Accepted' })),
      },
    });
    await wrapper.get('[data-test=cmd-reset-soft]').trigger('click');
    await wrapper.get('[data-test=cmd-unlock]').trigger('click');
    await wrapper.get('[data-test=cmd-trigger]').trigger('click');
    expect(sent).toEqual([
      ['control', 'reset', { type: 'Soft' }],
      ['control', 'unlock', { connectorId: 1 }],
      ['send', 'TriggerMessage', { requestedMessage: 'StatusNotification' }],
    ]);
  });

  it('refuses a payload that is not a JSON object before sending anything', async () => {
    const sent: unknown[] = [];
    const { wrapper } = mountWithApp(MessageForm, {
      props: { version: '2.0.1', send: (...args: unknown[]) => (sent.push(args), Promise.resolve({})) },
    });
    await wrapper.get('[data-test=message-form] textarea').setValue('[1, 2');
    await wrapper.get('[data-test=message-send]').trigger('click');
    await wrapper.get('[data-test=message-form] textarea').setValue('[]');
    await wrapper.get('[data-test=message-send]').trigger('click');
    expect(sent).toEqual([]);
    await wrapper.get('[data-test=message-form] textarea').setValue('{"reservationId":7}');
    await wrapper.get('[data-test=message-send]').trigger('click');
    expect(sent).toEqual([['CancelReservation', { reservationId: 7 }]]);
  });

  it('tags a station with its OCPP version', () => {
    expect(mountWithApp(OcppVersionTag, { props: { version: '2.0.1' } }).wrapper.text()).toBe('OCPP 2.0.1');
  });
});

describe('DeviceModelEditor', () => {
  it('reads the variables grouped by component and shows the station-wide ones first', async () => {
    const items = [
      variable({ component: 'EVSE', evseId: 1, variable: 'Power', value: '11000', mutability: 'ReadOnly' }),
      variable({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', value: '300' }),
    ];
    const asked: unknown[] = [];
    const api = fakeApi({
      stations: {
        variables: (id: string, query: unknown) => (asked.push([id, query]), Promise.resolve(page(items))),
      },
    });
    const { wrapper } = mountWithApp(DeviceModelEditor, {
      props: { chargePointId: 'CS-2', canChange: true },
      api,
    });
    await wrapper.get('[data-test=read-variables]').trigger('click');
    await flushPromises();
    expect(asked).toEqual([['CS-2', { limit: 1000 }]]);
    const titles = wrapper.findAll('.el-collapse-item__header').map((h) => h.text());
    expect(titles).toEqual(['OCPPCommCtrlr', 'EVSE (EVSE 1)']);
    expect(wrapper.text()).toContain('2 variabel dalam 2 komponen');
    expect(wrapper.find('[data-test=change-OCPPCommCtrlr-HeartbeatInterval]').exists()).toBe(true);
  });
});
