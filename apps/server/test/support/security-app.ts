import { writeFileSync } from 'node:fs';
import ocppRpc from 'ocpp-rpc';
import { join } from 'node:path';
import { TestPki, type Issued } from './certificates.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { BOOT, connectChargePoint, ocppUrl, type TestChargePoint } from './ocpp-client.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { httpsLogin, httpsRequest } from './tls-client.js';

const { createRPCError } = ocppRpc;

/** A station's calls from the server, and what the test answers to each. */
export type Answers = Record<string, (params: Record<string, unknown>) => unknown>;

/**
 * A server over TLS whose OCPP CA is the station CA of TLS_CLIENT_CA_FILE (OCPP_CA_KEY_FILE set,
 * OCPP_CA_CERT_FILE left to its default), with its PKI, an admin token and helpers.
 */
export class SecurityApp {
  readonly pki = new TestPki();
  serverCa!: Issued;
  stationCa!: Issued;
  firmwareSigner!: Issued;
  app!: TestApp;
  private database!: TestDatabase;
  private token = '';

  async start(
    dialect: 'sqlite' | 'postgres',
    env: Record<string, string> = {},
    options: Partial<TestAppOptions> = {},
  ): Promise<this> {
    this.serverCa = this.pki.ca('Server CA');
    this.stationCa = this.pki.ca('Station CA');
    this.firmwareSigner = this.pki.issue('firmware-signer', 'Firmware Signer', { issuer: this.serverCa });
    const server = this.pki.issue('server', 'csms.cimorings.test', { issuer: this.serverCa, server: true });
    this.database = await createTestDatabase(dialect);
    this.app = await startTestApp({
      databaseUrl: this.database.url,
      env: {
        TLS_CERT_FILE: server.certFile,
        TLS_KEY_FILE: server.keyFile,
        TLS_CLIENT_CA_FILE: this.stationCa.certFile,
        OCPP_CA_KEY_FILE: this.stationCa.keyFile,
        OCPP_FIRMWARE_SIGNING_CERT_FILE: this.firmwareSigner.certFile,
        OCPP_UNKNOWN_STATIONS: 'reject',
        ...env,
      },
      ...options,
    });
    await this.login();
    return this;
  }

  /** The server's database, for a test that breaks it. */
  get databaseUrl(): string {
    return this.database.url;
  }

  /** Logs in as admin again (a token is valid for JWT_EXPIRES_IN of the server's clock). */
  async login(): Promise<void> {
    this.token = await httpsLogin(this.app.url, this.serverCa.cert, 'admin', ADMIN_PASSWORD);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.database?.drop();
    this.pki.close();
  }

  /** The address a station with this identity connects to. */
  wss(chargePointId: string): string {
    return `${ocppUrl(this.app.url)}/${chargePointId}`;
  }

  api(method: string, path: string, body?: unknown, token = this.token) {
    return httpsRequest(`${this.app.url}${path}`, { ca: this.serverCa.cert }, { method, token, body });
  }

  /** Creates a station with a password at `profile` (1 or 2), or without at 3. */
  async station(chargePointId: string, profile: 1 | 2 | 3, password = `${chargePointId}-secret-pw`) {
    const created = await this.api('POST', '/api/stations', {
      chargePointId,
      name: chargePointId,
      ocppPassword: profile === 3 ? null : password,
      securityProfile: profile,
    });
    if (created.status !== 201)
      throw new Error(`station ${chargePointId}: ${created.status} ${created.text}`);
    return password;
  }

  /**
   * Connects over wss:// with a password or a client certificate, answers the server's calls with
   * `answers`, and boots.
   */
  async connect(
    chargePointId: string,
    auth: { password?: string; cert?: Issued | { cert: string; key: string } },
    answers: Answers = {},
  ): Promise<TestChargePoint> {
    const client = await connectChargePoint(this.app.url, chargePointId, {
      ...(auth.password !== undefined && { password: auth.password }),
      tls: { ca: this.serverCa.cert, ...(auth.cert && { cert: auth.cert.cert, key: auth.cert.key }) },
    });
    // Looked up at each call, so that a test can set the answer of a call it is about to cause.
    client.handle(async ({ method, params }) => {
      const answer = answers[method ?? ''];
      if (!answer) throw createRPCError('NotImplemented', `the test station does not answer ${method}`);
      return answer(params as Record<string, unknown>) as Record<string, unknown>;
    });
    await client.call('BootNotification', BOOT);
    return client;
  }

  /** Writes a PEM text to a file of the PKI's directory (for the simulator's options). */
  file(name: string, text: string): string {
    const path = join(this.pki.dir, name);
    writeFileSync(path, text);
    return path;
  }

  events(chargePointId: string) {
    return this.api('GET', `/api/stations/${chargePointId}/security-events`);
  }

  certificates(chargePointId: string) {
    return this.api('GET', `/api/stations/${chargePointId}/certificates`);
  }
}

/** A 1.6 station's answer to GetInstalledCertificateIds: one CentralSystemRootCertificate installed. */
export const ROOT_INSTALLED = {
  status: 'Accepted',
  certificateHashData: [
    {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'a1'.repeat(32),
      issuerKeyHash: 'b2'.repeat(32),
      serialNumber: '1',
    },
  ],
};

/** Resolves with the params of the next call of `action` the test station answers, via `answers`. */
export function waitFor(answers: Answers, action: string, answer: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    answers[action] = (params) => {
      resolve(params);
      return answer;
    };
  });
}
