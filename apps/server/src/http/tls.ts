import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  createSecureContext,
  type SecureContextOptions,
  type Server as TlsServer,
  type TlsOptions,
} from 'node:tls';
import type { Config } from '../config.js';

/**
 * TLS 1.2 suites with forward secrecy and AEAD only (Mozilla's "intermediate" list); TLS 1.3
 * suites are all modern and Node enables them whatever this says.
 */
const CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The PEM files of TLS_CERT_FILE, TLS_KEY_FILE and TLS_CLIENT_CA_FILE (CONTRACT section 8). */
export interface TlsFiles {
  cert: string;
  key: string;
  /** Set: clients are asked for a certificate, verified against these CAs. */
  clientCa: string | null;
}

/** The TLS files of the configuration, or null when the server speaks plain HTTP. */
export function tlsFilesOf(config: Readonly<Config>): TlsFiles | null {
  if (config.tlsCertFile === null || config.tlsKeyFile === null) return null;
  return { cert: config.tlsCertFile, key: config.tlsKeyFile, clientCa: config.tlsClientCaFile };
}

/** Thrown at start when a TLS file cannot be read or the pair does not make a context. */
export class TlsFileError extends Error {
  override name = 'TlsFileError';
}

/** What the files hold now; the secure context is built from these. */
function readContext(files: TlsFiles): SecureContextOptions {
  const read = (path: string, variable: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new TlsFileError(`${variable} ${path} cannot be read: ${(error as Error).message}`);
    }
  };
  return {
    cert: read(files.cert, 'TLS_CERT_FILE'),
    key: read(files.key, 'TLS_KEY_FILE'),
    ...(files.clientCa !== null && { ca: read(files.clientCa, 'TLS_CLIENT_CA_FILE') }),
    minVersion: 'TLSv1.2',
    ciphers: CIPHERS,
    honorCipherOrder: true,
  };
}

/** Reads the files and checks that they make a context (the key matches the certificate). */
function loadContext(files: TlsFiles): SecureContextOptions {
  const context = readContext(files);
  try {
    createSecureContext(context);
  } catch (error) {
    throw new TlsFileError(
      `TLS_CERT_FILE ${files.cert} and TLS_KEY_FILE ${files.key} do not make a TLS context: ${(error as Error).message}`,
    );
  }
  return context;
}

/**
 * The options of the HTTPS server, read from the files now.
 * A client certificate is asked for, never required (`rejectUnauthorized: false`): a browser
 * without one must still reach the dashboard and the API, and the OCPP upgrade decides per
 * station whether the certificate it got is good enough (security profile 3).
 * @throws TlsFileError naming the file that cannot be read or the pair that does not match.
 */
export function readTlsOptions(files: TlsFiles): TlsOptions {
  return {
    ...loadContext(files),
    ...(files.clientCa !== null && { requestCert: true, rejectUnauthorized: false }),
  };
}

/** Where certificate reloads are reported. */
export interface TlsReloadLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/**
 * Re-reads the TLS files when they change and gives the server the new context: connections
 * made afterwards get the new certificate, open ones keep theirs. The directories are watched,
 * not the files, since renewals usually replace a file (rename, or a symlink swap as in a
 * Kubernetes secret) and a watch on the old file would see nothing more. Changes are taken
 * together after `debounceMs` of quiet, so that a certificate and its key written one after
 * the other are read as a pair; a pair that does not make a context (half written, mismatched)
 * is logged and the old one kept until the next change.
 * @returns stops watching.
 */
export function watchTlsFiles(
  server: TlsServer,
  files: TlsFiles,
  log: TlsReloadLog,
  debounceMs = 250,
): () => void {
  const paths = [files.cert, files.key, files.clientCa].filter((path): path is string => path !== null);
  const directories = [...new Set(paths.map((path) => dirname(resolve(path))))];
  let timer: NodeJS.Timeout | undefined;
  let current = JSON.stringify(fingerprint(files));
  const reload = () => {
    try {
      const seen = JSON.stringify(fingerprint(files));
      if (seen === current) return;
      server.setSecureContext(loadContext(files));
      current = seen;
      log.info({ cert: files.cert }, 'TLS certificate files changed: new connections use them');
    } catch (error) {
      log.warn({ err: error }, 'TLS certificate files changed but cannot be used: the previous ones stay');
    }
  };
  const watchers: FSWatcher[] = directories.map((directory) => {
    const watcher = watch(directory, () => {
      clearTimeout(timer);
      timer = setTimeout(reload, debounceMs);
      timer.unref();
    });
    watcher.on('error', (error) => log.warn({ err: error, directory }, 'cannot watch TLS files'));
    return watcher;
  });
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

/** The files' contents, to tell a real change from an event about a neighbour in the directory. */
function fingerprint(files: TlsFiles): string[] {
  return [files.cert, files.key, files.clientCa].map((path) => {
    if (path === null) return '';
    try {
      return readFileSync(path, 'latin1');
    } catch {
      return `unreadable ${basename(path)}`;
    }
  });
}
