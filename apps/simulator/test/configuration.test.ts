import { describe, expect, it } from 'vitest';
import { Configuration } from '../src/configuration.js';

const seed = { connectors: 2, heartbeatIntervalS: 300, meterIntervalS: 10, authorizationKey: 'key' };

describe('Configuration', () => {
  it('reads integers and flags in their stored form', () => {
    const config = new Configuration(seed);
    expect(config.integer('HeartbeatInterval')).toBe(300);
    expect(config.integer('NumberOfConnectors')).toBe(2);
    expect(config.flag('AuthorizeRemoteTxRequests')).toBe(true);
    expect(config.text('AuthorizationKey')).toBe('key');
  });

  it('accepts booleans in any case and rejects other words', () => {
    const config = new Configuration(seed);
    expect(config.change('StopTransactionOnInvalidId', 'FALSE')).toBe('Accepted');
    expect(config.flag('StopTransactionOnInvalidId')).toBe(false);
    expect(config.change('StopTransactionOnInvalidId', 'no')).toBe('Rejected');
  });

  it('rejects negative, fractional and empty integers', () => {
    const config = new Configuration(seed);
    for (const value of ['-1', '1.5', '', ' 3'])
      expect(config.change('HeartbeatInterval', value)).toBe('Rejected');
    expect(config.integer('HeartbeatInterval')).toBe(300);
  });

  it('keeps the sampled measurands in reporting order and ignores blanks', () => {
    const config = new Configuration(seed);
    expect(config.change('MeterValuesSampledData', 'SoC, Energy.Active.Import.Register,')).toBe('Accepted');
    expect(config.sampledMeasurands).toEqual(['Energy.Active.Import.Register', 'SoC']);
  });
});
