import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogLines } from '../support/log-lines.js';
import { DIALECTS } from '../support/databases.js';
import { useTestApp } from '../support/use-test-app.js';
import { bootChargePoint, eventually, type TestChargePoint } from '../support/ocpp-client.js';

describe.each(DIALECTS)('OCPP handler failures on %s', (dialect) => {
  let cp: TestChargePoint;
  const logLines: string[] = [];
  const logsOf = (action: string) =>
    parseLogLines(logLines).filter((line) => line.chargePointId === 'CP-FAIL' && line.action === action);

  const app = useTestApp(dialect, { env: { OCPP_UNKNOWN_STATIONS: 'accept' }, logLines, login: false });
  beforeAll(async () => {
    app.dataTransfer.register('Faulty', async () => {
      throw new Error('vendor handler exploded');
    });
    ({ client: cp } = await bootChargePoint(app.url, 'CP-FAIL'));
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('logs an unexpected failure at error level with the station, the action and the error', async () => {
    const refusal = await cp
      .call('DataTransfer', { vendorId: 'Faulty', messageId: 'x' })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ rpcErrorCode: 'InternalError' });
    // The charge point learns nothing of the internals; the log has them.
    expect(String((refusal as Error).message)).not.toContain('exploded');
    await eventually(() => logsOf('DataTransfer').length > 0);
    const [line] = logsOf('DataTransfer');
    expect(line).toMatchObject({ level: 50, err: { message: 'vendor handler exploded' } });
  });

  it('logs a refusal the rules foresee below error level', async () => {
    await expect(
      cp.call('StartTransaction', {
        connectorId: 0,
        idTag: 'ANY',
        meterStart: 0,
        timestamp: '2026-01-11T14:30:00.000Z',
      }),
    ).rejects.toMatchObject({ rpcErrorCode: 'PropertyConstraintViolation' });
    await eventually(() => logsOf('StartTransaction').length > 0);
    const [line] = logsOf('StartTransaction');
    expect(line?.level).toBeLessThan(50);
    expect(line?.level).toBeGreaterThanOrEqual(30);
  });
});
