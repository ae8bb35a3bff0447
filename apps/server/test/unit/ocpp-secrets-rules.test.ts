import { describe, expect, it } from 'vitest';
import { isSecretName, REDACTED, redactOcppPayload } from '../../src/domain/ocpp-secrets.js';

describe('secret names', () => {
  it.each([
    ['AuthorizationKey', true],
    ['authorizationkey', true],
    ['BasicAuthPassword', true],
    ['basicAuthPassword', true],
    ['ApiKey', true],
    ['ClientSecret', true],
    ['HeartbeatInterval', false],
    ['key', false],
    ['AuthorizeRemoteTxRequests', false],
    ['idToken', false],
    [42, false],
  ])('%j is a secret: %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });
});

describe('redacting secrets in OCPP payloads', () => {
  it.each([
    [
      'ChangeConfiguration',
      { key: 'AuthorizationKey', value: '0123456789abcdef' },
      { key: 'AuthorizationKey', value: REDACTED },
    ],
    [
      'ChangeConfiguration',
      { key: 'HeartbeatInterval', value: '300' },
      { key: 'HeartbeatInterval', value: '300' },
    ],
    ['ChangeConfiguration', { status: 'Accepted' }, { status: 'Accepted' }],
    ['GetConfiguration', { key: ['AuthorizationKey'] }, { key: ['AuthorizationKey'] }],
    [
      'GetConfiguration',
      {
        configurationKey: [
          { key: 'AuthorizationKey', readonly: false, value: 'secret-key-1' },
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'BasicAuthPassword', readonly: false },
        ],
        unknownKey: ['Nope'],
      },
      {
        configurationKey: [
          { key: 'AuthorizationKey', readonly: false, value: REDACTED },
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'BasicAuthPassword', readonly: false },
        ],
        unknownKey: ['Nope'],
      },
    ],
    [
      'SetVariables',
      {
        setVariableData: [
          {
            attributeValue: 'pw',
            component: { name: 'SecurityCtrlr' },
            variable: { name: 'BasicAuthPassword' },
          },
          {
            attributeValue: '60',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
        ],
      },
      {
        setVariableData: [
          {
            attributeValue: REDACTED,
            component: { name: 'SecurityCtrlr' },
            variable: { name: 'BasicAuthPassword' },
          },
          {
            attributeValue: '60',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
        ],
      },
    ],
    [
      'GetVariables',
      {
        getVariableResult: [
          { attributeStatus: 'Accepted', attributeValue: 'pw', variable: { name: 'BasicAuthPassword' } },
        ],
      },
      {
        getVariableResult: [
          { attributeStatus: 'Accepted', attributeValue: REDACTED, variable: { name: 'BasicAuthPassword' } },
        ],
      },
    ],
    [
      'NotifyReport',
      { reportData: [{ variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ value: 'pw' }] }] },
      { reportData: [{ variable: { name: 'BasicAuthPassword' }, variableAttribute: [{ value: REDACTED }] }] },
    ],
    [
      'DataTransfer',
      { vendorId: 'Acme', data: 'x', password: 'pw' },
      { vendorId: 'Acme', data: 'x', password: REDACTED },
    ],
    [
      'SetNetworkProfile',
      { connectionData: { basicAuthPassword: 'pw' } },
      { connectionData: { basicAuthPassword: REDACTED } },
    ],
    ['Heartbeat', {}, {}],
    [null, 'raw text of an unreadable frame', 'raw text of an unreadable frame'],
    ['GetConfiguration', { configurationKey: 'not a list' }, { configurationKey: 'not a list' }],
    ['ChangeConfiguration', null, null],
  ])('%s %j → %j', (action, payload, expected) => {
    const before = JSON.stringify(payload);
    expect(redactOcppPayload(action, payload)).toEqual(expected);
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('treats action names and keys of Object.prototype as plain names', () => {
    for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(redactOcppPayload(action, { key: 'AuthorizationKey', value: 'x' })).toEqual({
        key: 'AuthorizationKey',
        value: 'x',
      });
    }
    const payload = JSON.parse('{"__proto__":{"password":"pw"},"a":1}') as unknown;
    const redacted = redactOcppPayload('DataTransfer', payload) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"password":"[redacted]"},"a":1}');
  });
});

describe('passwords in URLs', () => {
  it.each([
    ['ftp://diag:s3cret@files.example/up/', 'ftp://diag:[redacted]@files.example/up/'],
    ['sftp://u:p@ss/w@host/', 'sftp://u:[redacted]@host/'],
    ['https://files.example/fw.bin?token=x', 'https://files.example/fw.bin?token=x'],
    ['ftp://anonymous@files.example/', 'ftp://anonymous@files.example/'],
  ])('shows %s as %s', (location, shown) => {
    expect(redactOcppPayload('GetDiagnostics', { location })).toEqual({ location: shown });
    expect(redactOcppPayload('GetLog', { log: { remoteLocation: location } })).toEqual({
      log: { remoteLocation: shown },
    });
  });
});
