import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { Config } from '../config.js';
import { CertificateAuthority } from '../services/certificate-authority.js';

/** A CA or firmware signing file that cannot be used: start-up stops with this line. */
export class CertificateFileError extends Error {
  override name = 'CertificateFileError';
}

function read(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CertificateFileError(`${variable} ${path} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * The OCPP CA of the configuration (CONTRACT section 8): OCPP_CA_CERT_FILE, or else
 * TLS_CLIENT_CA_FILE, with OCPP_CA_KEY_FILE; null when no key is configured.
 * @throws CertificateFileError when a file cannot be read or they do not make a CA.
 */
export function loadOcppCa(config: Readonly<Config>): CertificateAuthority | null {
  if (config.ocppCaKeyFile === null) return null;
  const [variable, certFile] =
    config.ocppCaCertFile !== null
      ? ['OCPP_CA_CERT_FILE', config.ocppCaCertFile]
      : ['TLS_CLIENT_CA_FILE', config.tlsClientCaFile ?? ''];
  const certificate = read(variable, certFile);
  const key = read('OCPP_CA_KEY_FILE', config.ocppCaKeyFile);
  try {
    return CertificateAuthority.load(certificate, key);
  } catch (error) {
    throw new CertificateFileError(
      `${variable} ${certFile} and OCPP_CA_KEY_FILE ${config.ocppCaKeyFile} do not make a CA: ${(error as Error).message}`,
    );
  }
}

/**
 * The firmware signing certificate (OCPP_FIRMWARE_SIGNING_CERT_FILE), PEM; null when unset.
 * @throws CertificateFileError when it cannot be read or is no certificate.
 */
export function loadFirmwareSigningCertificate(config: Readonly<Config>): string | null {
  const path = config.ocppFirmwareSigningCertFile;
  if (path === null) return null;
  const text = read('OCPP_FIRMWARE_SIGNING_CERT_FILE', path);
  try {
    return new X509Certificate(text).toString();
  } catch (error) {
    throw new CertificateFileError(
      `OCPP_FIRMWARE_SIGNING_CERT_FILE ${path} holds no PEM certificate: ${(error as Error).message}`,
    );
  }
}
