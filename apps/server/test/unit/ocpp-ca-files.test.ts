import { afterAll, describe, expect, it } from 'vitest';
import { loadFirmwareSigningCertificate, loadOcppCa } from '../../src/composition/certificates.js';
import { loadConfig } from '../../src/config.js';
import { TestPki } from '../support/certificates.js';

const pki = new TestPki();
afterAll(() => pki.close());

const configWith = (env: Record<string, string>) => loadConfig({ DATABASE_URL: 'sqlite::memory:', ...env });

describe('the OCPP CA and firmware signing files', () => {
  const ca = pki.ca('Files CA');
  const other = pki.ca('Other CA');
  const leaf = pki.issue('files-leaf', 'CP-1', { issuer: ca });

  it('loads the CA from OCPP_CA_CERT_FILE, or TLS_CLIENT_CA_FILE, with OCPP_CA_KEY_FILE; none without a key', () => {
    expect(loadOcppCa(configWith({}))).toBeNull();
    expect(
      loadOcppCa(configWith({ OCPP_CA_CERT_FILE: ca.certFile, OCPP_CA_KEY_FILE: ca.keyFile })),
    ).not.toBeNull();
    const tls = { TLS_CERT_FILE: leaf.certFile, TLS_KEY_FILE: leaf.keyFile, TLS_CLIENT_CA_FILE: ca.certFile };
    expect(loadOcppCa(configWith({ ...tls, OCPP_CA_KEY_FILE: ca.keyFile }))?.pem).toBe(ca.cert);
  });

  it('stops start-up with one line naming the files that do not make a CA', () => {
    const load = (cert: string, key: string) => () =>
      loadOcppCa(configWith({ OCPP_CA_CERT_FILE: cert, OCPP_CA_KEY_FILE: key }));
    expect(load(ca.certFile, other.keyFile)).toThrow(
      /do not make a CA: the private key is not the CA certificate’s/,
    );
    expect(load(leaf.certFile, leaf.keyFile)).toThrow(
      /do not make a CA: the certificate CN=CP-1 is not a CA/,
    );
    expect(load('/nonexistent/ca.pem', ca.keyFile)).toThrow(
      /^OCPP_CA_CERT_FILE \/nonexistent\/ca.pem cannot be read/,
    );
    expect(load(ca.keyFile, ca.keyFile)).toThrow(/OCPP_CA_CERT_FILE .* do not make a CA/);
  });

  it('reads the firmware signing certificate, and refuses a file that holds none', () => {
    expect(loadFirmwareSigningCertificate(configWith({}))).toBeNull();
    expect(
      loadFirmwareSigningCertificate(configWith({ OCPP_FIRMWARE_SIGNING_CERT_FILE: leaf.certFile })),
    ).toBe(leaf.cert);
    expect(() =>
      loadFirmwareSigningCertificate(configWith({ OCPP_FIRMWARE_SIGNING_CERT_FILE: leaf.keyFile })),
    ).toThrow(/^OCPP_FIRMWARE_SIGNING_CERT_FILE .* holds no PEM certificate/);
  });
});
