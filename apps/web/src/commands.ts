/** One command sent from the station page and what came back. */
export interface CommandAnswer {
  id: number;
  action: string;
  payload: Record<string, unknown>;
  /** When it was sent, ISO 8601. */
  at: string;
  /** The charge point's answer (e.g. `{ status: 'Accepted' }`); null while waiting or on error. */
  answer: Record<string, unknown> | null;
  /** The failure in words (offline, timeout, CallError), or null. */
  error: string | null;
}

/** An entry of GetConfiguration.conf's configurationKey. */
export interface ConfigurationEntry {
  key: string;
  readonly: boolean;
  value?: string;
}

/** Reads GetConfiguration.conf: its known keys (sorted) and the keys it did not know. */
export function readConfiguration(answer: Record<string, unknown>): {
  entries: ConfigurationEntry[];
  unknownKeys: string[];
} {
  const keys = Array.isArray(answer.configurationKey)
    ? (answer.configurationKey as ConfigurationEntry[])
    : [];
  const unknown = Array.isArray(answer.unknownKey) ? (answer.unknownKey as string[]) : [];
  return { entries: [...keys].sort((a, b) => a.key.localeCompare(b.key)), unknownKeys: unknown };
}
