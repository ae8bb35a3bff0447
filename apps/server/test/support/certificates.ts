import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its key, as PEM text and as files. */
export interface Issued {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/** A new P-256 key, without a passphrase. */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * Makes keys and certificates with the `openssl` command line in a directory of its own:
 * CAs, server certificates for 127.0.0.1 and client certificates whose subject CN is a
 * charge point id, as the README tells an operator to.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'cimorings-pki-'));
  private serial = 1;

  /** A self-signed CA. */
  ca(name: string): Issued {
    const { certFile, keyFile } = this.paths(name);
    const usage = [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ];
    this.openssl([
      'req',
      '-x509',
      ...NEW_KEY,
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
      ...usage,
    ]);
    return this.read(certFile, keyFile);
  }

  /**
   * A certificate for `commonName` signed by `issuer`, or self-signed without one. `server`
   * adds 127.0.0.1 and localhost as subject alternative names, else it is a client certificate.
   */
  issue(name: string, commonName: string, options: { issuer?: Issued; server?: boolean } = {}): Issued {
    const { certFile, keyFile, csrFile } = this.request(name, commonName);
    const extFile = join(this.dir, `${name}.ext`);
    writeFileSync(
      extFile,
      options.server ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' : 'extendedKeyUsage=clientAuth\n',
    );
    const { issuer } = options;
    const signer = issuer
      ? ['-CA', issuer.certFile, '-CAkey', issuer.keyFile, '-set_serial', String(this.serial++)]
      : ['-signkey', keyFile];
    this.openssl([
      'x509',
      '-req',
      '-in',
      csrFile,
      ...signer,
      '-days',
      '30',
      '-extfile',
      extFile,
      '-out',
      certFile,
    ]);
    return this.read(certFile, keyFile);
  }

  /**
   * A client certificate for `commonName` signed by `issuer` that expired in 2020: `x509 -req`
   * cannot back-date, so `openssl ca` signs it with explicit dates.
   */
  expired(name: string, commonName: string, issuer: Issued): Issued {
    const { certFile, keyFile, csrFile } = this.request(name, commonName);
    const db = join(this.dir, `${name}-ca`);
    mkdirSync(db);
    writeFileSync(join(db, 'index.txt'), '');
    writeFileSync(join(db, 'serial'), '1000\n');
    const config = join(db, 'ca.cnf');
    const settings = [
      `database = ${join(db, 'index.txt')}`,
      `new_certs_dir = ${db}`,
      `serial = ${join(db, 'serial')}`,
    ];
    const policy = [
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
    ];
    writeFileSync(config, ['[ca]', 'default_ca = test', '[test]', ...settings, ...policy, ''].join('\n'));
    const dates = ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z'];
    const signer = ['-config', config, '-cert', issuer.certFile, '-keyfile', issuer.keyFile];
    this.openssl(['ca', '-batch', ...signer, '-in', csrFile, '-out', certFile, '-notext', ...dates]);
    return this.read(certFile, keyFile);
  }

  /**
   * A certificate signing request for `subject` (e.g. `/CN=CP-1/O=Acme`) with a new key:
   * `key` is openssl's `-newkey` argument (`rsa:2048`, `rsa:1024`, `ec` on `curve`).
   */
  csr(name: string, subject: string, key: { type: string; curve?: string } = { type: 'ec', curve: 'P-256' }) {
    const { keyFile } = this.paths(name);
    const csrFile = join(this.dir, `${name}.csr`);
    const newKey = [
      '-newkey',
      key.type,
      ...(key.curve ? ['-pkeyopt', `ec_paramgen_curve:${key.curve}`] : []),
      '-nodes',
    ];
    this.openssl(['req', ...newKey, '-subj', subject, '-keyout', keyFile, '-out', csrFile]);
    return { csr: readFileSync(csrFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), keyFile };
  }

  /** Runs openssl with `args` in this directory; answers its standard output. */
  run(args: string[]): string {
    return execFileSync('openssl', args, { stdio: 'pipe', cwd: this.dir }).toString();
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A new key and a certificate signing request for `commonName`. */
  private request(name: string, commonName: string) {
    const { certFile, keyFile } = this.paths(name);
    const csrFile = join(this.dir, `${name}.csr`);
    this.openssl(['req', ...NEW_KEY, '-subj', `/CN=${commonName}`, '-keyout', keyFile, '-out', csrFile]);
    return { certFile, keyFile, csrFile };
  }

  private paths(name: string) {
    return { certFile: join(this.dir, `${name}.crt`), keyFile: join(this.dir, `${name}.key`) };
  }

  private read(certFile: string, keyFile: string): Issued {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
  }

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { stdio: 'pipe' });
  }
}
