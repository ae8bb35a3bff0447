import type { ChildProcess } from 'node:child_process';

/**
 * Request/answer over a child's IPC channel: each command is answered by exactly one report,
 * in order. A report of type `error` rejects; so does the child exiting.
 */
export class Channel<Command, Report extends { type: string }> {
  private readonly waiting: { resolve: (report: Report) => void; reject: (error: Error) => void }[] = [];
  private readonly ready: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    child.on('message', (report: Report) => {
      if (report.type === 'ready') return markReady();
      const waiter = this.waiting.shift();
      if (!waiter) return;
      if (report.type === 'error')
        waiter.reject(new Error(`${name}: ${(report as { message?: string }).message}`));
      else waiter.resolve(report);
    });
    child.once('exit', (code) => {
      const error = new Error(`${name} exited (${code})`);
      failReady(error);
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  whenReady(timeoutMs = 60_000): Promise<void> {
    return withTimeout(this.ready, timeoutMs, `${this.name} did not start`);
  }

  request<T extends Report['type']>(
    command: Command,
    expect: T,
    timeoutMs: number,
  ): Promise<Extract<Report, { type: T }>> {
    const answer = new Promise<Report>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.send(command as object);
    }).then((report) => {
      if (report.type !== expect) throw new Error(`${this.name} answered ${report.type}, not ${expect}`);
      return report as Extract<Report, { type: T }>;
    });
    return withTimeout(answer, timeoutMs, `${this.name} did not answer ${expect}`);
  }

  /** Asks the child to close and waits for its exit (killing it after `graceMs`). */
  async close(command: Command, graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send(command as object);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} (${ms} ms)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
