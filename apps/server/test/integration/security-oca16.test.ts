import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { SecurityApp, waitFor, type Answers } from '../support/security-app.js';
import { notifySecurityEvent, signedFirmware } from '../support/security-station.js';

/**
 * The OCA OCPP 1.6 compliance cases (OCTT, Central System under test) of the security
 * whitepaper not covered elsewhere; the others are named where they are tested:
 * TC_073, TC_075_1, TC_075_2, TC_076, TC_077, TC_078, TC_079, TC_080, TC_085, TC_086
 * (security-commands.test.ts) and TC_074, TC_083, TC_087 (security-certificates.test.ts).
 */
describe.each(DIALECTS)('OCA OCPP 1.6 security cases on %s', (dialect) => {
  const security = new SecurityApp();
  const answers: Answers = {};
  let station: Awaited<ReturnType<SecurityApp['connect']>>;
  beforeAll(async () => {
    await security.start(dialect);
    const password = await security.station('OCA-FW', 2);
    station = await security.connect('OCA-FW', { password }, answers);
  }, 60_000);
  afterAll(async () => {
    await station?.close();
    await security.close();
  });

  describe('TC_081_CSMS Secure Firmware Update - Invalid Signature', () => {
    it('sends SignedUpdateFirmware, then takes Downloading, Downloaded and InvalidSignature and the security event', async () => {
      const firmware = signedFirmware('v3.bin', 'not the signature');
      const sent = waitFor(answers, 'SignedUpdateFirmware', { status: 'Accepted' });
      const update = await security.api('POST', '/api/stations/OCA-FW/commands/SignedUpdateFirmware', {
        requestId: 81,
        firmware,
      });
      expect(update.status, update.text).toBe(200);
      expect(update.body).toEqual({ status: 'Accepted' });
      expect(await sent).toMatchObject({ requestId: 81, firmware });
      for (const status of ['Downloading', 'Downloaded', 'InvalidSignature']) {
        expect(await station.call('SignedFirmwareStatusNotification', { status, requestId: 81 })).toEqual({});
        expect((await security.api('GET', '/api/stations/OCA-FW')).body.signedFirmwareStatus).toBe(status);
      }
      // The whitepaper's station reports the bad signature as a security event too (§3.6).
      await notifySecurityEvent(station, 'InvalidFirmwareSignature', 'requestId 81');
      expect((await security.events('OCA-FW')).body.items[0]).toMatchObject({
        type: 'InvalidFirmwareSignature',
        techInfo: 'requestId 81',
        source: 'station',
      });
      // The connection goes on.
      expect(await station.call('Heartbeat', {})).toMatchObject({ currentTime: expect.any(String) });
    });
  });
});
