import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  function: string;
  /** File (relative to the repository or node_modules) and line. */
  location: string;
  selfMs: number;
  selfPercent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples where the process was idle (waiting in the event loop). */
  idlePercent: number;
  functions: HotFunction[];
  /** Self time by where the code lives: our server, each package, Node internals, GC. */
  byOrigin: { origin: string; selfMs: number; selfPercent: number }[];
}

function shortPath(url: string): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const apps = path.indexOf('/apps/');
  if (apps >= 0) return path.slice(apps + 1);
  const bench = path.indexOf('/bench/');
  return bench >= 0 ? path.slice(bench + 1) : path;
}

function originOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)' || functionName === '(idle)') return functionName;
  if (url.startsWith('node:')) return 'node internals';
  const path = shortPath(url);
  if (path.startsWith('apps/server/')) return 'apps/server';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = path.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  return url === '' ? 'native' : path;
}

/**
 * The top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`), counting only
 * the samples taken from `fromMs` to `toMs` after the profile began (to leave start-up and
 * shutdown out).
 */
export function summarizeProfile(file: string, fromMs = 0, toMs = Infinity, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromMs * 1000 && at <= toMs * 1000) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, HotFunction>();
  const origins = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const ms = micros / 1000;
    total += ms;
    if (frame.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const location = frame.url === '' ? '' : `${shortPath(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName}|${location}`;
    const entry = functions.get(key) ?? {
      function: frame.functionName || '(anonymous)',
      location,
      selfMs: 0,
      selfPercent: 0,
    };
    entry.selfMs += ms;
    functions.set(key, entry);
    const origin = originOf(frame.url, frame.functionName);
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
  }
  const busy = total - idle;
  const percent = (ms: number) => (busy > 0 ? Math.round((ms / busy) * 1000) / 10 : 0);
  return {
    totalMs: Math.round(total),
    idlePercent: total > 0 ? Math.round((idle / total) * 1000) / 10 : 0,
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, selfMs: Math.round(entry.selfMs), selfPercent: percent(entry.selfMs) })),
    byOrigin: [...origins.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, ms]) => ({ origin, selfMs: Math.round(ms), selfPercent: percent(ms) })),
  };
}
