import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PER_STATION } from '../../src/ocpp/recent-answers.js';
import { CONFIGURATIONS } from './cluster-configurations.js';

const stationId = () => `RA-${randomBytes(4).toString('hex')}`;

/** What every RecentAnswers promises, in memory and across nodes sharing Redis. */
describe.each(CONFIGURATIONS)('the recent answers ($name)', ({ nodes }) => {
  it('gives the answer remembered on one node to the same message id on any node', async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    const answer = { idTagInfo: { status: 'Accepted' }, transactionId: 42 };
    expect(await elsewhere.recentAnswers.get(id, 'm-1', 'StartTransaction')).toBeUndefined();
    await here.recentAnswers.set(id, 'm-1', 'StartTransaction', answer);
    expect(await elsewhere.recentAnswers.get(id, 'm-1', 'StartTransaction')).toEqual(answer);
    expect(await here.recentAnswers.get(id, 'm-1', 'StartTransaction')).toEqual(answer);
  });

  it('answers nothing for another action, another station or another message id', async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    await here.recentAnswers.set(id, 'm-1', 'MeterValues', {});
    expect(await elsewhere.recentAnswers.get(id, 'm-1', 'StopTransaction')).toBeUndefined();
    expect(await elsewhere.recentAnswers.get(stationId(), 'm-1', 'MeterValues')).toBeUndefined();
    expect(await elsewhere.recentAnswers.get(id, 'm-2', 'MeterValues')).toBeUndefined();
  });

  it(`keeps the last ${PER_STATION} answers of a station, forgetting the oldest`, async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    for (let i = 0; i <= PER_STATION; i++) await here.recentAnswers.set(id, `m-${i}`, 'Heartbeat', { i });
    expect(await elsewhere.recentAnswers.get(id, 'm-0', 'Heartbeat')).toBeUndefined();
    expect(await elsewhere.recentAnswers.get(id, 'm-1', 'Heartbeat')).toEqual({ i: 1 });
    expect(await elsewhere.recentAnswers.get(id, `m-${PER_STATION}`, 'Heartbeat')).toEqual({
      i: PER_STATION,
    });
  });

  it('keeps a long message id by its digest, telling two long ids apart', async () => {
    const { here, elsewhere } = await nodes();
    const id = stationId();
    const long = 'x'.repeat(5000);
    await here.recentAnswers.set(id, `${long}a`, 'MeterValues', { which: 'a' });
    await here.recentAnswers.set(id, `${long}b`, 'MeterValues', { which: 'b' });
    expect(await elsewhere.recentAnswers.get(id, `${long}a`, 'MeterValues')).toEqual({ which: 'a' });
    expect(await elsewhere.recentAnswers.get(id, `${long}b`, 'MeterValues')).toEqual({ which: 'b' });
  });
});
