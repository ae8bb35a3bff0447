import { describe, expect, it } from 'vitest';
import { officialSchemaId, officialValidator } from '../src/schemas.js';

describe('official validators for ocpp-rpc strict mode', () => {
  it('keeps the 1.6 and 2.0.1 ids and names the 2.1 schemas as OCPP 2.1 does', () => {
    expect(officialSchemaId('ocpp1.6', 'urn:Heartbeat.req')).toBe('urn:Heartbeat.req');
    expect(officialSchemaId('ocpp2.0.1', 'urn:Heartbeat.conf')).toBe('urn:Heartbeat.conf');
    expect(officialSchemaId('ocpp2.1', 'urn:Heartbeat.req')).toBe('urn:HeartbeatRequest');
    expect(officialSchemaId('ocpp2.1', 'urn:Heartbeat.conf')).toBe('urn:HeartbeatResponse');
  });

  it.each(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const)(
    '%s: finds a schema by the id strict mode asks for, and refuses a payload breaking it',
    (subprotocol) => {
      const validator = officialValidator(subprotocol);
      expect(validator.subprotocol).toBe(subprotocol);
      expect(validator.validate('urn:Heartbeat.req', {})).toBe(true);
      expect(() => validator.validate('urn:Heartbeat.conf', { currentTime: 'not a date' })).toThrow();
    },
  );
});
