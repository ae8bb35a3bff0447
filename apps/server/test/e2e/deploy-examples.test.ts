import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const DEPLOY = resolve(import.meta.dirname, '../../../../deploy');
const run = promisify(execFile);

/** Runs a tool that the deployment examples are checked with; a missing one fails the test. */
async function check(tool: string, args: string[]) {
  return run(tool, args).then(
    (done) => ({ code: 0, output: done.stdout + done.stderr }),
    (failed: NodeJS.ErrnoException & { code: number | string; stdout?: string; stderr?: string }) => {
      if (failed.code === 'ENOENT') {
        throw new Error(
          `${tool} is not installed: apt-get install ${tool === 'haproxy' ? 'haproxy' : 'systemd'}`,
        );
      }
      return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    },
  );
}

describe('the deployment examples in deploy/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cimorings-deploy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('haproxy accepts deploy/haproxy.cfg (with a certificate where it expects one)', async () => {
    const key = join(dir, 'key.pem');
    const certificate = join(dir, 'certificate.pem');
    await run(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=cimorings.test'].concat([
        '-keyout',
        key,
        '-out',
        certificate,
      ]),
    );
    const pem = join(dir, 'cimorings.pem');
    writeFileSync(pem, readFileSync(certificate, 'utf8') + readFileSync(key, 'utf8'));
    const config = readFileSync(join(DEPLOY, 'haproxy.cfg'), 'utf8');
    expect(config).toContain('/etc/haproxy/certs/cimorings.pem');
    const copy = join(dir, 'haproxy.cfg');
    writeFileSync(copy, config.replaceAll('/etc/haproxy/certs/cimorings.pem', pem));

    const result = await check('haproxy', ['-c', '-f', copy]);
    expect(result.output).toContain('Configuration file is valid');
    expect(result.code).toBe(0);
  });

  it('systemd accepts deploy/cimorings.service (with a Node.js where it expects one)', async () => {
    const unit = readFileSync(join(DEPLOY, 'cimorings.service'), 'utf8');
    expect(unit).toContain('ExecStart=/opt/cimorings/.node/bin/node ');
    const copy = join(dir, 'cimorings.service');
    writeFileSync(copy, unit.replace('/opt/cimorings/.node/bin/node', process.execPath));

    const result = await check('systemd-analyze', ['verify', copy]);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
