/** One line a test app logged (pino's JSON), with the fields tests look at. */
export interface LogLine {
  level: number;
  msg: string;
  chargePointId?: string;
  action?: string;
  err?: { message: string };
}

/** Reads the lines a test app wrote to its `logLines`. */
export function parseLogLines(lines: string[]): LogLine[] {
  return lines.map((line) => JSON.parse(line) as LogLine);
}
