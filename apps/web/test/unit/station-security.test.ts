// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { SecurityEvent, Station, StationCertificate } from '../../src/api';
import StationSecurity from '../../src/components/stations/StationSecurity.vue';
import { useAuthStore } from '../../src/stores/auth';
import { fakeApi, userWith } from '../support/fake-api';
import { mountWithApp, piniaWith } from '../support/mount';

const station = {
  chargePointId: 'CS-7',
  securityProfile: 2,
  logStatus: 'Uploaded',
  signedFirmwareStatus: null,
} as unknown as Station;

const certificate = (serialNumber: string, fields: Partial<StationCertificate> = {}): StationCertificate => ({
  serialNumber,
  subject: 'CN=CS-7',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2099-01-01T00:00:00.000Z',
  fingerprint: 'AA:BB',
  issuedAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
  certificate: '-----BEGIN CERTIFICATE-----',
  ...fields,
});

const events: SecurityEvent[] = [
  {
    type: 'InvalidChargePointCertificate',
    timestamp: '2026-01-11T14:00:00.000Z',
    techInfo: 'revoked',
    source: 'server',
  },
  { type: 'TamperDetectionActivated', timestamp: '2026-01-11T13:00:00.000Z', source: 'station' },
];

async function mountAs(permissions: string[]) {
  const api = fakeApi({
    auth: { login: async () => ({ token: 'jwt-1', expiresIn: 3600, user: userWith(permissions) }) },
  });
  const pinia = piniaWith(api);
  await useAuthStore().login('tester', 'secret-pass');
  return mountWithApp(StationSecurity, {
    pinia,
    api,
    props: {
      station,
      events,
      certificates: [certificate('0A1B'), certificate('0C2D', { revokedAt: '2026-01-12T00:00:00.000Z' })],
    },
  });
}

describe('StationSecurity', () => {
  it('lists security events and certificates in both languages, and the station’s log status', async () => {
    const { wrapper, i18n } = await mountAs(['stations.view']);
    const eventRows = wrapper.get('[data-test=security-events]').text();
    expect(eventRows).toContain('InvalidChargePointCertificate');
    expect(eventRows).toContain('Server');
    expect(eventRows).toContain('Stasiun');
    const certificates = wrapper.get('[data-test=station-certificates]').text();
    expect(certificates).toContain('0A1B');
    expect(certificates).toContain('Berlaku');
    expect(certificates).toContain('Dicabut');
    expect(wrapper.text()).toContain('Uploaded');
    // A viewer sees the profile but cannot change it nor revoke.
    expect(wrapper.text()).toContain('2: kata sandi melalui TLS');
    expect(wrapper.find('[data-test=security-profile]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain('Cabut');
    i18n.global.locale.value = 'en';
    await nextTick();
    expect(wrapper.text()).toContain('Security events');
    expect(wrapper.text()).toContain('2: password over TLS');
  });

  it('offers the profile and revocation to those who may edit the station', async () => {
    const { wrapper } = await mountAs(['stations.view', 'stations.edit']);
    expect(wrapper.find('[data-test=security-profile]').exists()).toBe(true);
    const buttons = wrapper.get('[data-test=station-certificates]').findAll('button');
    // Only the standing certificate can be revoked.
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.text()).toBe('Cabut');
  });
});
