import type { ProfileSummary } from './profile.js';

/** What each profile covers. */
const PHASES: Record<string, string> = {
  'boot storm': 'The storm only (from the first connection to the last BootNotification.conf)',
};

/** The sections of the server's CPU profiles (with --profile), one per scenario profiled. */
export function profilesMarkdown(profiles: Record<string, ProfileSummary | null>): string[] {
  const out: string[] = [];
  for (const [scenario, p] of Object.entries(profiles)) {
    if (!p) continue;
    out.push(
      `## CPU profile of the server under ${scenario}`,
      '',
      `${PHASES[scenario] ?? 'The measured phase only (start-up, boot and StartTransaction left out)'}: ${p.totalMs} ms sampled, ` +
        `${p.idlePercent} % idle. Self time, % of busy time:`,
      '',
      '| where | self ms | % |',
      '| --- | --- | --- |',
      ...p.byOrigin.slice(0, 12).map((o) => `| ${o.origin} | ${o.selfMs} | ${o.selfPercent} |`),
      '',
      '| function | location | self ms | % |',
      '| --- | --- | --- | --- |',
      ...p.functions.map((f) => `| \`${f.function}\` | ${f.location} | ${f.selfMs} | ${f.selfPercent} |`),
      '',
    );
  }
  return out;
}
