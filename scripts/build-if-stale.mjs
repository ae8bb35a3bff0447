// `npm start` runs the compiled server. This builds first every workspace whose build output
// (dist/) is missing or older than its sources, so that `npm install && npm start` on a fresh
// clone and a start after `git pull` both run what the sources say. Generic over the root's
// workspaces: any workspace with a `build` script and a dist/ folder takes part.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that are not build input: outputs, dependencies, tests and runtime data. */
const NOT_INPUT = new Set(['node_modules', 'dist', 'test', 'data', 'coverage']);

/** The newest modification time (ms) of the files under `dir`, skipping `skip` folder names. */
function newest(dir, skip = new Set()) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newest(path, skip) : statSync(path).mtimeMs;
    if (time > latest) latest = time;
  }
  return latest;
}

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** The workspace folders, `folder/*` patterns expanded, in the order the root lists them. */
const folders = workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(pattern.slice(0, -2), entry.name))
    : [pattern],
);
for (const folder of folders) {
  const dir = join(root, folder);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.scripts?.build) continue;
  const dist = join(dir, 'dist');
  const stale = !existsSync(dist) || newest(dir, NOT_INPUT) > newest(dist);
  if (!stale) continue;
  process.stderr.write(`${manifest.name}: build missing or older than its sources, building\n`);
  const build = spawnSync('npm', ['run', 'build', '-w', manifest.name], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
