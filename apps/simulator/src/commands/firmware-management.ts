import type { v16 } from '@cimorings/ocpp';
import type { CentralSystemLink } from '../events.js';
import type { LogFn } from '../options.js';
import type { Register } from './types.js';

/**
 * Simulated diagnostics uploads and firmware updates. Nothing is transferred: each step takes
 * `stepMs` and is reported with DiagnosticsStatusNotification or FirmwareStatusNotification
 * (OCPP 1.6 sections 4.4 and 4.5).
 */
export class FileTransfers {
  private diagnostics: v16.DiagnosticsStatus = 'Idle';
  private firmware: v16.FirmwareStatus = 'Idle';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly link: CentralSystemLink,
    private readonly identity: string,
    private readonly stepMs: number,
    private readonly log: LogFn,
  ) {}

  /** Starts an upload (GetDiagnostics, section 5.9) and returns the name of the file it "uploads". */
  startUpload(after: (task: () => Promise<unknown>) => void): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const fileName = `${this.identity}-diagnostics-${stamp}.log`;
    after(async () => {
      await this.notifyDiagnostics('Uploading');
      await this.wait(this.stepMs);
      await this.notifyDiagnostics('Uploaded');
      // Afterwards the charge point is idle again; a triggered notification says so.
      this.diagnostics = 'Idle';
    });
    return fileName;
  }

  /** Downloads and installs firmware from `retrieveDate` on (UpdateFirmware, section 5.19). */
  scheduleUpdate(retrieveDate: string): void {
    const delay = Math.max(0, Date.parse(retrieveDate) - Date.now());
    void this.wait(delay).then(async () => {
      for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed'] as const) {
        await this.notifyFirmware(status);
        if (status !== 'Installed') await this.wait(this.stepMs);
      }
      this.firmware = 'Idle';
    });
  }

  /** Sends DiagnosticsStatusNotification with `status`, or with the current one (Idle when nothing runs). */
  async notifyDiagnostics(status: v16.DiagnosticsStatus = this.diagnostics): Promise<void> {
    this.diagnostics = status;
    await this.send(() => this.link.call('DiagnosticsStatusNotification', { status }));
  }

  /** Sends FirmwareStatusNotification with `status`, or with the current one (Idle when nothing runs). */
  async notifyFirmware(status: v16.FirmwareStatus = this.firmware): Promise<void> {
    this.firmware = status;
    await this.send(() => this.link.call('FirmwareStatusNotification', { status }));
  }

  /** Cancels the steps still waiting. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async send(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.log('warn', `status notification failed: ${(error as Error).message}`);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Handlers of the Firmware Management profile. */
export function registerFirmwareCommands(register: Register, transfers: FileTransfers): void {
  register('GetDiagnostics', (_request, after) => ({ fileName: transfers.startUpload(after) }));
  register('UpdateFirmware', ({ retrieveDate }) => {
    transfers.scheduleUpdate(retrieveDate);
    return {};
  });
}
