// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import type { Onboarding } from '../../src/api';
import AppShell from '../../src/components/base/AppShell.vue';
import ConnectionBanner from '../../src/components/base/ConnectionBanner.vue';
import StatusBadge from '../../src/components/base/StatusBadge.vue';
import OnboardingCard from '../../src/components/stations/OnboardingCard.vue';
import SiteMap from '../../src/components/stations/SiteMap.vue';
import ActiveTransactionCard from '../../src/components/transactions/ActiveTransactionCard.vue';
import TransactionStatusTag from '../../src/components/transactions/TransactionStatusTag.vue';
import { formatClockOffset } from '../../src/format';
import { useRoom } from '../../src/composables/useRoom';
import type { Realtime } from '../../src/realtime';
import { useAuthStore } from '../../src/stores/auth';
import { useConnectionStore } from '../../src/stores/connection';
import type { LiveTransaction } from '../../src/stores/transactions';
import { fakeApi, transaction, userWith } from '../support/fake-api';
import { mountWithApp } from '../support/mount';

afterEach(() => {
  localStorage.clear();
});

describe('StatusBadge', () => {
  it('speaks Indonesian by default and English after the switch', async () => {
    const { wrapper, i18n } = mountWithApp(StatusBadge, { props: { status: 'Available' } });
    expect(wrapper.text()).toBe('Tersedia');
    i18n.global.locale.value = 'en';
    await nextTick();
    expect(wrapper.text()).toBe('Available');
  });

  it('shows an unknown status as it is', () => {
    const { wrapper } = mountWithApp(StatusBadge, { props: { status: 'Mystery' } });
    expect(wrapper.text()).toBe('Mystery');
  });
});

describe('TransactionStatusTag', () => {
  it('tells a refused start from a completed session, in both languages', async () => {
    const refused = mountWithApp(TransactionStatusTag, {
      props: { transaction: { status: 'completed', authorizationStatus: 'ConcurrentTx' } },
    });
    expect(refused.wrapper.text()).toBe('Ditolak: ConcurrentTx');
    refused.i18n.global.locale.value = 'en';
    await nextTick();
    expect(refused.wrapper.text()).toBe('Refused: ConcurrentTx');
    const done = mountWithApp(TransactionStatusTag, {
      props: { transaction: { status: 'completed', authorizationStatus: 'Accepted' } },
    });
    expect(done.wrapper.find('[data-test="transaction-refused"]').exists()).toBe(false);
  });
});

describe('formatClockOffset', () => {
  it('shows hours and minutes below a day, whole days from then on, without the sign', () => {
    expect(formatClockOffset(-3 * 3600 - 300, 'en')).toBe('3 h 05 min');
    expect(formatClockOffset(56 * 365 * 86_400, 'id')).toBe('20440 hari');
  });
});

describe('ConnectionBanner', () => {
  it('appears while the connection is lost and goes away when it is back', async () => {
    const { wrapper } = mountWithApp(ConnectionBanner);
    const connection = useConnectionStore();
    connection.set('online');
    await nextTick();
    expect(wrapper.find('[data-test=connection-banner]').exists()).toBe(false);
    connection.set('reconnecting');
    await nextTick();
    expect(wrapper.get('[data-test=connection-banner]').text()).toContain(
      'Koneksi terputus, menyambung ulang',
    );
    connection.set('online');
    await nextTick();
    expect(wrapper.find('[data-test=connection-banner]').exists()).toBe(false);
  });
});

describe('ActiveTransactionCard', () => {
  const tx: LiveTransaction = {
    ...transaction({ transactionId: 12345, meterStart: 1000 }),
    energy: 1250,
    power: 22.5,
    soc: 75,
    readAt: '2026-01-11T14:31:00.000Z',
  };

  it('shows the energy delivered, power and SoC, and a stop button only when allowed', async () => {
    const { wrapper } = mountWithApp(ActiveTransactionCard, { props: { tx, canStop: false } });
    expect(wrapper.get('[data-test=tx-energy]').text()).toBe('0,25 kWh');
    expect(wrapper.get('[data-test=tx-power]').text()).toBe('22,5 kW');
    expect(wrapper.get('[data-test=tx-soc]').text()).toBe('75 %');
    expect(wrapper.find('[data-test=tx-stop]').exists()).toBe(false);
    await wrapper.setProps({ canStop: true });
    await wrapper.get('[data-test=tx-stop]').trigger('click');
    expect(wrapper.emitted('stop')?.[0]).toEqual([tx]);
  });
});

describe('OnboardingCard', () => {
  const onboarding = (passwordRequired: boolean): Onboarding => ({
    chargePointId: 'CS-9',
    ocppUrl: 'ws://csms.example/ocpp/CS-9',
    centralSystemUrl: 'ws://csms.example/ocpp',
    subprotocol: 'ocpp1.6',
    passwordRequired,
    basicAuthUsername: passwordRequired ? 'CS-9' : null,
    securityProfile: passwordRequired ? 1 : 0,
    heartbeatInterval: 300,
    registration: 'accepted',
  });

  it('shows the generated password once, with no impersonation warning', () => {
    const { wrapper } = mountWithApp(OnboardingCard, {
      props: {
        chargePointId: 'CS-9',
        hasPassword: true,
        onboarding: onboarding(true),
        password: 'gEn3rated-Pw_0123456789abcdefABCD',
      },
    });
    expect(wrapper.get('[data-test=generated-password]').text()).toBe('gEn3rated-Pw_0123456789abcdefABCD');
    expect(wrapper.text()).toContain('Hanya ditampilkan sekarang');
    expect(wrapper.find('[data-test=no-password-warning]').exists()).toBe(false);
  });

  it('warns plainly, in both languages, that a station without a password can be impersonated', async () => {
    const { wrapper, i18n } = mountWithApp(OnboardingCard, {
      props: { chargePointId: 'CS-9', hasPassword: false, onboarding: onboarding(false) },
    });
    expect(wrapper.get('[data-test=no-password-warning]').text()).toContain('dapat ditiru');
    i18n.global.locale.value = 'en';
    await nextTick();
    expect(wrapper.get('[data-test=no-password-warning]').text()).toContain('can be impersonated');
    expect(wrapper.find('[data-test=generated-password]').exists()).toBe(false);
  });
});

const TIMES = { createdAt: '2026-01-11T14:00:00.000Z', updatedAt: '2026-01-11T14:00:00.000Z' };
/** The supply of a site as created: in Jakarta, 3 phases of 230 V, a 6 A minimum per session. */
const SUPPLY = { timeZone: 'Asia/Jakarta', phases: 3, voltage: 230, minCurrentA: 6 };
const NO_LIMIT = { maxPowerKw: null, maxCurrentA: null, limitSchedule: null, ...SUPPLY };

describe('SiteMap', () => {
  it('plots the sites that have coordinates and says how many it left out', () => {
    const { wrapper } = mountWithApp(SiteMap, {
      props: {
        sites: [
          { id: 1, name: 'Jakarta', address: null, latitude: -6.2, longitude: 106.8, ...NO_LIMIT, ...TIMES },
          { id: 2, name: 'Bandung', address: null, latitude: -6.9, longitude: 107.6, ...NO_LIMIT, ...TIMES },
          { id: 3, name: 'Nowhere', address: null, latitude: null, longitude: null, ...NO_LIMIT, ...TIMES },
        ],
        stationCounts: { 1: 4 },
      },
    });
    expect(wrapper.findAll('circle')).toHaveLength(2);
    expect(wrapper.text()).toContain('Jakarta');
    expect(wrapper.text()).toContain('4 stasiun');
    expect(wrapper.text()).toContain('(1)');
  });
});

describe('AppShell', () => {
  it('shows only the pages the user may open', async () => {
    const api = fakeApi({
      auth: {
        login: async () => ({
          token: 't',
          expiresIn: 60,
          user: userWith(['stations.view', 'reservations.view']),
        }),
      },
    });
    const { wrapper, pinia } = mountWithApp(AppShell, { api, slots: { default: () => h('div', 'page') } });
    const auth = useAuthStore(pinia);
    await auth.login('viewer', 'pw');
    await nextTick();
    const menu = wrapper.get('[data-test=sidebar]').text();
    expect(menu).toContain('Dasbor');
    expect(menu).toContain('Stasiun');
    expect(menu).toContain('Reservasi');
    expect(menu).not.toContain('Transaksi');
    expect(menu).not.toContain('ID Tag');
    expect(menu).not.toContain('Pengguna');
  });
});

describe('useRoom', () => {
  it('joins on mount, follows a changed room and leaves on unmount', async () => {
    const joined: string[] = [];
    const left: string[] = [];
    const fake: Realtime = {
      start: () => undefined,
      stop: () => undefined,
      joinRoom: async (room) => (joined.push(room), { ok: true }),
      leaveRoom: async (room) => (left.push(room), { ok: true }),
    };
    const room = ref('station_CS001');
    const Page = defineComponent({
      setup() {
        useRoom(room);
        return () => h('div');
      },
    });
    const { wrapper } = mountWithApp(Page, { realtime: fake });
    expect(joined).toEqual(['station_CS001']);
    room.value = 'station_CS002';
    await nextTick();
    expect(left).toEqual(['station_CS001']);
    expect(joined).toEqual(['station_CS001', 'station_CS002']);
    wrapper.unmount();
    expect(left).toEqual(['station_CS001', 'station_CS002']);
  });
});
