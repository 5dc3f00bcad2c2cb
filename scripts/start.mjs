/**
 * `npm start`: run the built server (dist/server/main.js) in THIS node process, building first
 * only when dist/ is missing or older than the sources (a fresh clone, a `git pull`).
 *
 * Plain JavaScript on purpose: it must run where only production dependencies are installed
 * (no tsx). It stays one process — npm forwards SIGTERM/SIGINT to it and waits for it to exit —
 * so a service manager's SIGTERM reaches the server's graceful shutdown. Where dist/ is up to date
 * or the sources are not there (a packed tarball), it never builds.
 *   node scripts/start.mjs                 build if needed, then run the server
 *   node scripts/start.mjs --build-only    build if needed (what the process tests call first)
 *   node scripts/start.mjs --mark-built    record that dist/ matches the sources (end of npm run build)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Written by `npm run build` once both halves are built; its mtime is the build's time. */
const STAMP = join(ROOT, 'dist', 'BUILT');
const SERVER = join(ROOT, 'dist', 'server', 'main.js');
/**
 * What the build reads: a change to any of these makes dist/ stale. Not package-lock.json: `npm
 * prune` rewrites it after the build (after changing dependencies, run `npm run build`).
 */
const SOURCES = ['server', 'shared', 'client', 'package.json'];

/** Newest modification time (ms) under `path` (a file or a folder), 0 when absent. */
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** 'fresh', or why a build is needed ('missing', 'stale'). */
function buildState() {
  if (!existsSync(STAMP) || !existsSync(SERVER)) return 'missing';
  // A packed install (npm pack) ships dist/ without the sources: nothing to compare, never build.
  if (!existsSync(join(ROOT, 'server'))) return 'fresh';
  const built = statSync(STAMP).mtimeMs;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  return sources > built ? 'stale' : 'fresh';
}

/** Record that dist/ now matches the sources (`node scripts/start.mjs --mark-built`). */
function markBuilt() {
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

async function main() {
  if (process.argv.includes('--mark-built')) {
    markBuilt();
    return;
  }
  ensureBuilt();
  if (process.argv.includes('--build-only')) return;
  const server = await import(pathToFileURL(SERVER).href);
  await server.main();
}

/** Build when dist/ is missing or stale; exit(1) if that fails. */
function ensureBuilt() {
  const state = buildState();
  if (state !== 'fresh') {
    process.stderr.write(`Podium: dist/ is ${state}; building it first (npm run build).\n`);
    // The npm that runs us (npm start), else the one on the PATH.
    const npm = process.env.npm_execpath;
    // The build's output goes to stderr: stdout stays the server's JSON log lines.
    const options = { cwd: ROOT, stdio: ['ignore', 2, 2] };
    const build = npm?.endsWith('npm-cli.js')
      ? spawnSync(process.execPath, [npm, 'run', 'build'], options)
      : spawnSync('npm', ['run', 'build'], options);
    if (build.status !== 0) {
      process.stderr.write(
        'Podium: the build failed. It needs the development dependencies (npm install or npm ci);\n' +
          'on a production install, build before pruning: npm ci && npm run build && npm prune --omit=dev\n',
      );
      process.exit(1);
    }
  }
}

main().catch((err) => {
  process.stderr.write(`Podium could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
