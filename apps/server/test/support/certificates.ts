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

/**
 * Makes keys and certificates with the `openssl` command line in a directory of its own:
 * a CA, server certificates for 127.0.0.1 and client certificates whose subject CN is a
 * charge point id, as the README tells an operator to.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'cimorings-pki-'));
  private serial = 1;

  /** A self-signed CA. */
  ca(name: string): Issued {
    const { certFile, keyFile } = this.paths(name);
    this.openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return this.read(certFile, keyFile);
  }

  /**
   * A certificate for `commonName` signed by `issuer`, or self-signed without one. `server`
   * adds 127.0.0.1 and localhost as subject alternative names, else it is a client certificate.
   */
  issue(name: string, commonName: string, options: { issuer?: Issued; server?: boolean } = {}): Issued {
    const { certFile, keyFile } = this.paths(name);
    const csrFile = join(this.dir, `${name}.csr`);
    const extFile = join(this.dir, `${name}.ext`);
    writeFileSync(
      extFile,
      options.server ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' : 'extendedKeyUsage=clientAuth\n',
    );
    this.openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      csrFile,
    ]);
    const signer = options.issuer
      ? [
          '-CA',
          options.issuer.certFile,
          '-CAkey',
          options.issuer.keyFile,
          '-set_serial',
          String(this.serial++),
        ]
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
    const { certFile, keyFile } = this.paths(name);
    const csrFile = join(this.dir, `${name}.csr`);
    const db = join(this.dir, `${name}-ca`);
    mkdirSync(db);
    writeFileSync(join(db, 'index.txt'), '');
    writeFileSync(join(db, 'serial'), '1000\n');
    const config = join(db, 'ca.cnf');
    writeFileSync(
      config,
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${join(db, 'index.txt')}`,
        `new_certs_dir = ${db}`,
        `serial = ${join(db, 'serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    this.openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyFile,
      '-out',
      csrFile,
    ]);
    this.openssl([
      'ca',
      '-batch',
      '-config',
      config,
      '-cert',
      issuer.certFile,
      '-keyfile',
      issuer.keyFile,
      '-in',
      csrFile,
      '-out',
      certFile,
      '-notext',
      '-startdate',
      '20200101000000Z',
      '-enddate',
      '20200201000000Z',
    ]);
    return this.read(certFile, keyFile);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
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
