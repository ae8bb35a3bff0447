// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import TransactionDetailView from '../../src/views/TransactionDetailView.vue';
import { detailOf, fakeApi, transaction } from '../support/fake-api';
import { mountWithApp } from '../support/mount';

const STARTED = Date.parse('2026-01-11T14:30:00.000Z');

describe('the transaction detail page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows how long a running transaction has lasted moving with the clock, and a stopped one fixed', async () => {
    vi.useFakeTimers({ now: STARTED + 65_000, toFake: ['Date', 'setInterval', 'clearInterval'] });
    const running = transaction({ transactionId: 7 });
    const stopped = transaction({
      transactionId: 8,
      status: 'completed',
      stoppedAt: '2026-01-11T14:32:00.000Z',
    });
    const api = fakeApi({
      transactions: { get: (id: number) => (id === 7 ? detailOf(running)() : detailOf(stopped)()) },
    });
    const open = async (transactionId: number) => {
      const { wrapper } = mountWithApp(TransactionDetailView, { api, props: { transactionId } });
      await flushPromises();
      return wrapper;
    };
    const live = await open(7);
    const done = await open(8);
    const detail = (wrapper: typeof live) => wrapper.get('[data-test=transaction-detail]').text();
    expect(detail(live)).toContain('1 mnt 05 dtk');
    expect(detail(done)).toContain('2 mnt 00 dtk');

    vi.advanceTimersByTime(10_000);
    await flushPromises();
    expect(detail(live)).toContain('1 mnt 15 dtk');
    expect(detail(done)).toContain('2 mnt 00 dtk');
    live.unmount();
    done.unmount();
  });
});
