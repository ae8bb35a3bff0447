import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/use-test-app.js';
import { ADMIN_PASSWORD } from '../support/test-app.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';

const DOCS = resolve(import.meta.dirname, '../../../../docs');
const EXAMPLE = resolve(DOCS, 'examples/realtime-client.mjs');

/** Runs the documentation's example client against `url`, collecting what it prints. */
function runExample(url: string, password: string) {
  const child = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH ?? '', CIMORINGS_URL: url, CIMORINGS_PASSWORD: password },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exit };
}

describe('the real-time API documentation', () => {
  const app = useTestApp('sqlite', { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, login: false });
  const stations: TestChargePoint[] = [];

  afterAll(async () => {
    for (const station of stations) await station.close({ force: true });
  });

  it('shows, in English and in Indonesian, exactly the example program that is tested here', () => {
    const program = readFileSync(EXAMPLE, 'utf8').trimEnd();
    for (const page of ['realtime-api.md', 'realtime-api.id.md']) {
      expect(readFileSync(resolve(DOCS, page), 'utf8'), page).toContain(`\`\`\`js\n${program}\n\`\`\``);
    }
  });

  it('has an example client that logs in, joins the dashboard room and prints live events', async () => {
    const example = runExample(app.url, ADMIN_PASSWORD);
    try {
      await eventually(() => example.output().includes('joined dashboard'), 15_000);
      const { client } = await bootChargePoint(app.url, 'DOCS-CS1');
      stations.push(client);
      await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      await eventually(() =>
        /connector_status_updated \{.*"chargePointId":"DOCS-CS1"/.test(example.output()),
      );
      const line = example
        .output()
        .split('\n')
        .find((text) => text.startsWith('connector_status_updated'));
      const payload = JSON.parse(line?.slice('connector_status_updated '.length) ?? '{}') as Record<
        string,
        unknown
      >;
      expect(payload).toMatchObject({
        chargePointId: 'DOCS-CS1',
        connectorId: 1,
        status: 'Charging',
        errorCode: 'NoError',
      });
    } finally {
      example.child.kill('SIGTERM');
      await example.exit;
    }
  });

  it('has an example client that says why it cannot log in, and exits with an error', async () => {
    const example = runExample(app.url, 'not-the-password');
    expect(await example.exit).toBe(1);
    expect(example.output()).toContain('login failed: 401');
  });
});
