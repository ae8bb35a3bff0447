// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { Station } from '../../src/api';
import StationInfo from '../../src/components/stations/StationInfo.vue';
import { mountWithApp, piniaWith } from '../support/mount';

const station = (fields: Partial<Station>): Station =>
  ({
    chargePointId: 'CS-9',
    ocppVersion: '2.0.1',
    firmwareVersion: '2.0.0',
    firmwareStatus: null,
    diagnosticsStatus: null,
    lastHeartbeat: null,
    lastBootAt: null,
    siteId: null,
    hasOcppPassword: false,
    ...fields,
  }) as unknown as Station;

describe('StationInfo', () => {
  it('shows the firmware update status a 2.0.1 station reported, and no diagnostics upload (1.6 only)', () => {
    const { wrapper } = mountWithApp(StationInfo, {
      pinia: piniaWith(),
      props: { station: station({ firmwareStatus: 'InstallationFailed' }) },
    });
    expect(wrapper.get('[data-test=station-firmware-status]').text()).toBe('InstallationFailed');
    expect(wrapper.text()).toContain('Pembaruan firmware');
    expect(wrapper.text()).not.toContain('GetDiagnostics');
  });

  it('shows a 1.6 station’s diagnostics upload beside its firmware status', () => {
    const { wrapper } = mountWithApp(StationInfo, {
      pinia: piniaWith(),
      props: {
        station: station({ ocppVersion: '1.6', firmwareStatus: 'Installed', diagnosticsStatus: 'Uploaded' }),
      },
    });
    expect(wrapper.get('[data-test=station-firmware-status]').text()).toBe('Installed');
    expect(wrapper.text()).toContain('Unggah diagnostik (GetDiagnostics)');
    expect(wrapper.text()).toContain('Uploaded');
  });
});
