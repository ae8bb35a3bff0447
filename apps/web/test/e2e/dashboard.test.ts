/**
 * End to end: the built dashboard in Debian's Chromium (playwright-core), served by the real
 * server process, with simulated charge points. Screenshots of the main pages at desktop and
 * phone width go to test/e2e/screenshots/ (git-ignored); the run prints where.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedChargePoint, SimulatedChargingStation } from '@cimorings/simulator';
import { CHROMIUM, CHROMIUM_ARGS, ensureDashboardBuilt, freePort, ServerProcess, WEB_ROOT } from './support';

const ADMIN_PASSWORD = 'e2e-admin-password';
const TAG = 'E2ETAG';
const SCOPED = { username: 'teknisi', password: 'teknisi-password' };
const SHOTS = join(WEB_ROOT, 'test/e2e/screenshots');
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let dir: string;
let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken: string;
const chargePoints: SimulatedChargePoint[] = [];
let station201: SimulatedChargingStation;
const pageErrors: string[] = [];

function chargePoint(id: string): SimulatedChargePoint {
  const cp = new SimulatedChargePoint({
    id,
    url: `ws://127.0.0.1:${server.port}/ocpp`,
    connectors: 2,
    idTag: TAG,
    meterIntervalMs: 700,
    powerKw: 11,
    initialSoc: 35,
    batteryCapacityKwh: 2,
    reconnect: { initialDelayMs: 300, maxDelayMs: 1000, factor: 1.5, jitter: 0 },
    bootRetryMs: 1000,
  });
  chargePoints.push(cp);
  return cp;
}

async function login(target: Page, username: string, password: string): Promise<void> {
  await target.goto(`${server.url}/`);
  await target.fill('[data-test=username]', username);
  await target.fill('[data-test=password]', password);
  await target.click('[data-test=login-submit]');
  await target.waitForSelector('[data-test=user-menu]');
}

async function confirmDialog(target: Page): Promise<void> {
  await target.click('.el-message-box .el-button--primary');
}

async function shoot(name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  ensureDashboardBuilt();
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'cimorings-e2e-'));
  server = new ServerProcess(
    await freePort(),
    {
      DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
      ADMIN_PASSWORD,
      OCPP_UNKNOWN_STATIONS: 'accept',
      LOG_LEVEL: 'warn',
      JWT_EXPIRES_IN: '1h',
    },
    dir,
  );
  await server.start();
  adminToken = (
    await server.call('POST', '/api/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })
  ).body.token;
  expect(
    (await server.call('POST', '/api/id-tags', adminToken, { idTag: TAG, allowConcurrent: true })).status,
  ).toBe(201);
  const scoped = await server.call('POST', '/api/users', adminToken, {
    ...SCOPED,
    roles: ['operator'],
    allowedStations: ['E2E001'],
  });
  expect(scoped.status).toBe(201);
  station201 = new SimulatedChargingStation({
    id: 'E2E201',
    protocol: '2.0.1',
    url: `ws://127.0.0.1:${server.port}/ocpp`,
    connectors: 2,
    idTag: TAG,
    meterIntervalMs: 1000,
    reconnect: { initialDelayMs: 300, maxDelayMs: 1000, factor: 1.5, jitter: 0 },
    bootRetryMs: 1000,
  });
  const v16 = [chargePoint('E2E001'), chargePoint('E2E002')];
  const accepted = [
    ...v16.map((cp) => cp.waitFor('accepted', undefined, 15_000)),
    station201.waitFor('accepted', undefined, 15_000),
  ];
  await Promise.all([...v16, station201].map((cp) => cp.start()));
  await Promise.all(accepted);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  context = await browser.newContext({ viewport: DESKTOP, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${error.message} (${page.url()})`));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await Promise.allSettled([...chargePoints, station201].map((cp) => cp?.stop({ stopSessions: false })));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`\n  dashboard screenshots: ${SHOTS}\n`);
}, 30_000);

describe('the dashboard in a real browser', () => {
  it('logs in, in Indonesian, and shows the stations live', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.textContent('[data-test=login-submit]')).toContain('Masuk');
    await shoot('01-login');
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForSelector('text=Dasbor langsung');
    await page.waitForFunction(() =>
      document.querySelector('[data-test=connected-count]')?.textContent?.startsWith('3'),
    );
  });

  let transactionId = 0;

  it('shows a simulated session as it starts, with its energy rising', async () => {
    const cp = chargePoints[0]!;
    const started = await cp.startSession(1, TAG);
    expect(started.started).toBe(true);
    transactionId = (started as { transactionId: number }).transactionId;
    const card = `[data-test=active-tx-${transactionId}]`;
    await page.waitForSelector(card);
    await page.waitForSelector('.toast-transaction-started >> text=Transaksi dimulai');
    const energy = async () => (await page.textContent(`${card} [data-test=tx-energy]`))?.trim() ?? '';
    await page.waitForFunction((selector) => {
      const text = document.querySelector(selector)?.textContent ?? '';
      return /\d/.test(text) && !text.startsWith('0,00');
    }, `${card} [data-test=tx-energy]`);
    const first = await energy();
    await page.waitForFunction(
      ([selector, before]) => (document.querySelector(selector!)?.textContent?.trim() ?? '') !== before,
      [`${card} [data-test=tx-energy]`, first] as const,
    );
    const parse = (text: string) => Number(text.replace(' kWh', '').replace(',', '.'));
    expect(parse(await energy())).toBeGreaterThan(parse(first));
    expect(await page.textContent(`${card} [data-test=tx-power]`)).toMatch(/kW/);
    await shoot('02-dashboard');
  });

  it('stops the session from the UI', async () => {
    const card = `[data-test=active-tx-${transactionId}]`;
    await page.click(`${card} [data-test=tx-stop]`);
    await confirmDialog(page);
    await page.waitForSelector(card, { state: 'detached' });
    await page.waitForSelector('.toast-transaction-stopped >> text=Transaksi selesai');
    const tx = await server.call('GET', `/api/transactions/${transactionId}`, adminToken);
    expect(tx.body).toMatchObject({ status: 'completed', stopReason: 'Remote' });
    await page.goto(`${server.url}/transactions/${transactionId}`);
    await page.waitForSelector('[data-test=meter-chart] canvas');
    await shoot('05-transaction-detail');
  });

  it('creates and cancels a reservation with a name and a phone number', async () => {
    await page.goto(`${server.url}/reservations`);
    await page.click('[data-test=new-reservation]');
    await page.click('.el-dialog [data-test=reservation-station]');
    await page.click('.el-select-dropdown__item:has-text("E2E002")');
    await page.fill('[data-test=reservation-idtag]', TAG);
    await page.fill('[data-test=reservation-name]', 'Budi Santoso');
    await page.fill('[data-test=reservation-phone]', '+6281234567890');
    await page.click('[data-test=reservation-save]');
    const row = page.locator('[data-test=reservation-list] tr', { hasText: 'Budi Santoso' });
    await row.locator('text=Aktif').waitFor();
    await expect.poll(() => chargePoints[1]!.status(1)).toBe('Reserved');
    await shoot('06-reservations');
    await row.locator('[data-test^=cancel-reservation-]').click();
    await confirmDialog(page);
    await row.locator('text=Dibatalkan').waitFor();
    await expect.poll(() => chargePoints[1]!.status(1)).toBe('Available');
  });

  it('shows the station detail with the answer of a command and the OCPP message log', async () => {
    await page.goto(`${server.url}/stations/E2E001`);
    await page.waitForSelector('[data-test=station-title]');
    await page.click('.el-tabs__item:has-text("Konfigurasi")');
    await page.click('[data-test=read-variables]');
    await page.waitForSelector('[data-test=variables-OCPP16] >> text=HeartbeatInterval');
    await page.click('.el-tabs__item:has-text("Perintah")');
    await page.click('[data-test=cmd-reset-soft]');
    await page.waitForSelector('[data-test=answer-reset] [data-test=answer-status]:has-text("Accepted")');
    await page.screenshot({ path: join(SHOTS, '04-station-commands-desktop.png'), fullPage: true });
    await page.click('.el-tabs__item:has-text("Log pesan OCPP")');
    await page.waitForSelector('[data-test=message-log] >> text=BootNotification');
    await page.click('.el-tabs__item:has-text("Konektor")');
    await shoot('04-station-detail');
  });

  it('shows an OCPP 2.0.1 station with its version, edits its device model by component, and resets it', async () => {
    await expect
      .poll(async () => (await server.call('GET', '/api/stations/E2E201/variables', adminToken)).body.total, {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    await page.goto(`${server.url}/stations`);
    const row = page.locator('[data-test=station-list] tr', { hasText: 'E2E201' });
    await row.locator('text=OCPP 2.0.1').waitFor();
    await page.goto(`${server.url}/stations/E2E201`);
    await page.waitForSelector('[data-test=station-title] >> text=E2E201');
    expect(await page.textContent('[data-test=ocpp-version]')).toContain('2.0.1');
    await page.click('.el-tabs__item:has-text("Konfigurasi")');
    await page.click('[data-test=read-variables]');
    const comm = '[data-test=variables-OCPPCommCtrlr]';
    await page.click(`${comm} .el-collapse-item__header`);
    await page.click(`${comm} [data-test=change-OCPPCommCtrlr-HeartbeatInterval]`);
    await page.fill('.el-message-box input', '120');
    await confirmDialog(page);
    await expect.poll(() => station201.deviceModel.value('OCPPCommCtrlr', 'HeartbeatInterval')).toBe('120');
    await page.waitForSelector(`${comm} >> text=120`);
    await page.waitForSelector('[data-test=variables] >> text=EVSE (EVSE 2)');
    await shoot('14-station-201-variables');
    // A 2.0.1 session looks like any other on the live dashboard and the transaction page.
    await page.goto(`${server.url}/`);
    const started = await station201.startSession(2, TAG);
    if (!started.started) throw new Error(`the 2.0.1 session did not start: ${started.reason}`);
    const tx = await server.call('GET', `/api/transactions/${started.transactionId}`, adminToken);
    expect(tx.body).toMatchObject({
      chargePointId: 'E2E201',
      connectorId: 2,
      ocppTransactionId: started.transactionId,
    });
    const card = `[data-test=active-tx-${tx.body.transactionId}]`;
    await page.waitForSelector(card);
    await station201.sendMeterValues(2);
    await page.waitForFunction(
      (selector) => /\d/.test(document.querySelector(selector)?.textContent ?? ''),
      `${card} [data-test=tx-energy]`,
    );
    await station201.stopSession(2);
    await page.waitForSelector(card, { state: 'detached' });
    await page.goto(`${server.url}/transactions/${tx.body.transactionId}`);
    await page.waitForSelector('[data-test=meter-chart] canvas');
    await page.goto(`${server.url}/stations/E2E201`);
    await page.waitForSelector('[data-test=station-title] >> text=E2E201');
    await page.click('.el-tabs__item:has-text("Perintah")');
    await page.click('[data-test=trigger-message]');
    await page.waitForSelector('.el-select-dropdown__item:has-text("TransactionEvent")');
    await page.keyboard.press('Escape');
    const rebooted = station201.waitFor('boot', undefined, 15_000);
    await page.click('[data-test=cmd-reset-soft]');
    await page.waitForSelector('[data-test=answer-reset] [data-test=answer-status]:has-text("Accepted")');
    await rebooted;
    await shoot('15-station-201-commands');
    // What the station tells of its firmware, its log uploads and its security is on its page.
    const now = new Date().toISOString();
    await station201.call('FirmwareStatusNotification', { status: 'Installed', requestId: 31 });
    await station201.call('LogStatusNotification', { status: 'Uploaded', requestId: 32 });
    await station201.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: now });
    await page.goto(`${server.url}/stations/E2E201`);
    await page.waitForSelector('[data-test=station-firmware-status] >> text=Installed');
    await page.click('.el-tabs__item:has-text("Keamanan")');
    await page.waitForSelector('[data-test=security-events] >> text=TamperDetectionActivated');
    await page.waitForSelector('[data-test=station-security] >> text=Uploaded');
  });

  it('adds a station with a generated password, shown once with how to connect it', async () => {
    await page.goto(`${server.url}/stations`);
    await page.click('[data-test=add-station]');
    await page.fill('[data-test=new-station-id]', 'E2E-NEW');
    await page.click('[data-test=create-station]');
    const password = (await page.textContent('[data-test=generated-password]'))?.trim() ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await page.locator('[data-test=no-password-warning]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '13-station-created-desktop.png'), fullPage: true });
    const station = await server.call('GET', '/api/stations/E2E-NEW', adminToken);
    expect(station.body.hasOcppPassword).toBe(true);
    expect(JSON.stringify(station.body)).not.toContain(password);
    await page.keyboard.press('Escape');
  });

  it('switches to English and back', async () => {
    await page.goto(`${server.url}/stations`);
    await page.waitForSelector('[data-test=station-E2E002]');
    await shoot('03-stations');
    await page.click('[data-test=language-switch] >> text=EN');
    await page.waitForSelector('[data-test=nav-reservations] >> text=Reservations');
    expect(await page.textContent('h1')).toBe('Stations');
    await page.click('[data-test=language-switch] >> text=ID');
    await page.waitForSelector('[data-test=nav-reservations] >> text=Reservasi');
    for (const [name, path] of [
      ['07-transactions', '/transactions'],
      ['08-id-tags', '/id-tags'],
      ['09-users', '/users'],
      ['10-profile', '/profile'],
    ] as const) {
      await page.goto(server.url + path);
      await page.waitForSelector('h1');
      await page.waitForTimeout(300);
      await shoot(name);
    }
  });

  it('says the connection is lost while the server restarts, then recovers by itself', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('text=Dasbor langsung');
    await server.stop();
    await page.waitForSelector('[data-test=connection-banner] >> text=Koneksi terputus');
    await page.screenshot({ path: join(SHOTS, '11-reconnecting-desktop.png') });
    await server.start();
    await page.waitForSelector('[data-test=connection-banner]', { state: 'detached', timeout: 30_000 });
    // The charge points come back too; a new session shows up live, so the rooms were joined again.
    const cp = chargePoints[1]!;
    await expect.poll(() => cp.accepted, { timeout: 20_000 }).toBe(true);
    const started = await cp.startSession(2, TAG);
    expect(started.started).toBe(true);
    await page.waitForSelector(
      `[data-test=active-tx-${(started as { transactionId: number }).transactionId}]`,
    );
    expect(page.url()).toBe(`${server.url}/`);
  }, 60_000);

  it('shows a station-scoped user only their stations', async () => {
    const scoped = await browser.newContext({ viewport: PHONE, locale: 'id-ID' });
    const phone = await scoped.newPage();
    phone.setDefaultTimeout(15_000);
    await login(phone, SCOPED.username, SCOPED.password);
    await phone.goto(`${server.url}/stations`);
    await phone.waitForSelector('[data-test=station-E2E001]');
    expect(await phone.locator('[data-test=station-E2E002]').count()).toBe(0);
    await phone.screenshot({ path: join(SHOTS, '12-scoped-user-stations-phone.png'), fullPage: true });
    await phone.goto(`${server.url}/stations/E2E002`);
    await phone.waitForSelector('.el-result');
    await scoped.close();
  });

  /** The first limit of a station's composite schedule (its 1.6 or 2.x answer), W. */
  async function compositeLimitW(chargePointId: string): Promise<number | undefined> {
    const path = `/api/stations/${chargePointId}/composite-schedule?connectorId=1&duration=60`;
    const { body } = await server.call('GET', path, adminToken);
    return (body.chargingSchedule ?? body.schedule)?.chargingSchedulePeriod[0]?.limit;
  }

  it('lists, sends and removes the charging profiles of a 1.6 and a 2.0.1 station', async () => {
    await expect.poll(() => chargePoints[0]!.accepted && station201.accepted, { timeout: 20_000 }).toBe(true);
    for (const chargePointId of ['E2E001', 'E2E201']) {
      const before = await compositeLimitW(chargePointId);
      await page.goto(`${server.url}/stations/${chargePointId}`);
      await page.waitForSelector(`[data-test=station-title] >> text=${chargePointId}`);
      await page.click('.el-tabs__item:has-text("Profil pengisian")');
      const table = page.locator('[data-test=charging-profiles]');
      await table.locator('text=Belum ada profil').waitFor();
      // The example the form starts from, at 10 A (6.9 kW on 3 phases of 230 V).
      const example = JSON.parse(await page.inputValue('[data-test=profile-json]'));
      example.chargingSchedule.chargingSchedulePeriod[0].limit = 10;
      await page.fill('[data-test=profile-json]', JSON.stringify(example, null, 2));
      await page.click('[data-test=send-profile]');
      await table.locator('text=TxDefaultProfile').waitFor();
      await table.locator('text=0s: 10 A').waitFor();
      expect(await compositeLimitW(chargePointId)).toBe(6_900);
      if (chargePointId === 'E2E001') await shoot('16-station-charging-profiles');
      await table.locator('.el-button--danger').click();
      await confirmDialog(page);
      await table.locator('text=Belum ada profil').waitFor();
      expect(
        (await server.call('GET', `/api/stations/${chargePointId}/charging-profiles`, adminToken)).body,
      ).toMatchObject({ items: [] });
      expect(await compositeLimitW(chargePointId)).toBe(before);
    }
  }, 60_000);

  it('shows a site with its limit, its load against the limit live, and each session’s limit and power', async () => {
    const site = await server.call('POST', '/api/sites', adminToken, {
      name: 'Plaza Senayan',
      maxPowerKw: 8,
    });
    expect(site.status).toBe(201);
    const placed = await server.call('PATCH', '/api/stations/E2E001', adminToken, { siteId: site.body.id });
    expect(placed.status).toBe(200);
    const started = await chargePoints[0]!.startSession(2, TAG);
    if (!started.started) throw new Error(`the session did not start: ${started.reason}`);
    // The stations list opens the page of the site it is filtered by, and so does the station page.
    await page.goto(`${server.url}/stations`);
    await page.click('[data-test=station-site-filter]');
    await page.click('.el-select-dropdown__item:has-text("Plaza Senayan")');
    await page.click('[data-test=open-site]');
    await page.waitForSelector('[data-test=site-title] >> text=Plaza Senayan');
    await page.goto(`${server.url}/stations/E2E001`);
    await page.click('.el-tabs__item:has-text("Profil pengisian")');
    await page.click('[data-test=site-link]');
    await page.waitForSelector('[data-test=site-title] >> text=Plaza Senayan');
    const figures = page.locator('[data-test=site-load]');
    await figures.locator('text=8.0 kW').first().waitFor();
    const sessions = page.locator('[data-test=site-sessions]');
    const row = sessions.locator('tr', { hasText: 'E2E001' });
    const cell = async (column: number) => (await row.locator('td').nth(column).textContent())?.trim();
    await expect.poll(() => cell(2), { timeout: 15_000 }).toBe('8.00');
    await row.locator('text=Mengisi').waitFor();
    // The station draws what it was given: its power shows beside its limit.
    await chargePoints[0]!.sendMeterValues(2);
    await expect.poll(() => cell(3), { timeout: 15_000 }).toBe('8.00');
    await page.waitForSelector('.uplot-container canvas');
    // A lower limit saved in the form reaches the figures, the session and the station.
    const maxPower = page.locator('[data-test=site-limit-form] .el-form-item', {
      hasText: 'Daya maksimum (kW)',
    });
    await maxPower.locator('input').fill('5');
    await maxPower.locator('input').press('Tab');
    await page.click('[data-test=save-limit]');
    await figures.locator('text=5.0 kW').first().waitFor();
    await expect.poll(() => cell(2), { timeout: 15_000 }).toBe('5.00');
    await expect.poll(() => chargePoints[0]!.chargingProfiles.limitW(2, Date.now(), 11_000)).toBe(5_000);
    await page.click('text=Tambah jendela');
    await page.waitForSelector('[data-test=limit-window]');
    await shoot('17-site');
    const stopped = await chargePoints[0]!.stopSession(2);
    expect(stopped).toMatchObject({ delivered: true });
    await sessions.locator('text=Tidak ada sesi pengisian di site ini').waitFor();
  }, 60_000);

  it('raised no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
