/**
 * bench:startup — what an operator sees when a service manager starts and stops Podium: the time
 * from running the start command to the first 200 on /healthz, the processes it leaves running and
 * their memory, and the stop on SIGTERM (how long, whether every process is gone, whether the
 * embedded store's LOCK file was removed). Each run uses a fresh embedded data folder.
 *   npm run bench:startup -- [--command "npm start"] [--runs 5] [--settle-ms 2000]
 * Measure on a built tree (`npm run build` first), else the first run includes the build.
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, numberOption, readOptions } from './lib/args.ts';

interface ProcessInfo {
  pid: number;
  command: string;
  rssMb: number;
}

interface RunResult {
  /** From spawning the command to the first 200 on /healthz. */
  firstHealthzMs: number;
  /**
   * CPU time (user + system) the start took, read at the first 200: every process of the tree plus
   * the children its root had already reaped (a build). Less sensitive to a busy machine than time.
   */
  startCpuMs: number;
  processes: ProcessInfo[];
  /** Resident memory of every process of the tree, summed. */
  treeRssMb: number;
  /** From SIGTERM to the command's exit. */
  stopMs: number;
  exitCode: number | null;
  exitSignal: string | null;
  /** Processes of the tree still alive after the command exited (they are then SIGKILLed). */
  leftRunning: ProcessInfo[];
  lockLeft: boolean;
}

const STOP_LIMIT_MS = 15_000;
const START_LIMIT_MS = 120_000;

async function main(): Promise<void> {
  const values = readOptions({
    command: { type: 'string', default: 'npm start' },
    runs: { type: 'string' },
    'settle-ms': { type: 'string' },
  });
  const argv = String(values.command).split(' ').filter(Boolean);
  const runs = numberOption(values, 'runs', 5);
  const settleMs = numberOption(values, 'settle-ms', 2_000);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(argv, settleMs);
    log(
      `startup run ${i + 1}: ${r.firstHealthzMs} ms to /healthz (${r.startCpuMs} ms CPU), ${r.processes.length} processes, ` +
        `${r.treeRssMb} MB, stop ${r.stopMs} ms, left running ${r.leftRunning.length}, lock left ${r.lockLeft}`,
    );
    results.push(r);
  }
  console.log(
    JSON.stringify({
      bench: 'startup',
      command: argv.join(' '),
      runs,
      firstHealthzMs: summary(results.map((r) => r.firstHealthzMs)),
      startCpuMs: summary(results.map((r) => r.startCpuMs)),
      treeRssMb: summary(results.map((r) => r.treeRssMb)),
      processCount: summary(results.map((r) => r.processes.length)),
      stopMs: summary(results.map((r) => r.stopMs)),
      leftRunning: results.reduce((n, r) => n + r.leftRunning.length, 0),
      locksLeft: results.filter((r) => r.lockLeft).length,
      last: results.at(-1),
    }),
  );
}

async function runOnce(argv: string[], settleMs: number): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-startup-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(argv[0] as string, argv.slice(1), {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PODIUM_DATA_DIR: dataDir,
      PODIUM_ADMIN_PASSWORD: 'startup-bench-password',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    const deadline = started + START_LIMIT_MS;
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`the command exited before answering:\n${stderr}`);
      if (performance.now() > deadline) throw new Error(`no 200 on /healthz within ${START_LIMIT_MS} ms`);
      await sleep(10);
    }
    const firstHealthzMs = Math.round(performance.now() - started);
    const startCpuMs = treeCpuMs(child.pid as number);
    await sleep(settleMs);
    const processes = tree(child.pid as number);
    const stopAt = performance.now();
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_LIMIT_MS).then(() => false)]);
    const stopMs = Math.round(performance.now() - stopAt);
    if (!stopped) child.kill('SIGKILL');
    await sleep(200);
    const leftRunning = processes.filter((p) => alive(p.pid));
    for (const p of leftRunning) process.kill(p.pid, 'SIGKILL');
    return {
      firstHealthzMs,
      startCpuMs,
      processes,
      treeRssMb: round(processes.reduce((sum, p) => sum + p.rssMb, 0)),
      stopMs,
      exitCode: child.exitCode,
      exitSignal: child.signalCode,
      leftRunning,
      lockLeft: existsSync(join(dataDir, 'LOCK')),
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** CPU ms of `root`'s live tree plus what the root's reaped children used (Linux /proc). */
function treeCpuMs(root: number): number {
  const ticks = (pid: number, first: number, count: number): number => {
    const stat = readProc(`/proc/${pid}/stat`);
    if (stat === undefined) return 0;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let sum = 0;
    for (let i = first; i < first + count; i++) sum += Number(fields[i]);
    return sum;
  };
  // Fields 14–17 of stat (utime, stime, cutime, cstime) are 11–14 after the command name.
  let total = ticks(root, 11, 4);
  for (const p of tree(root).slice(1)) total += ticks(p.pid, 11, 4);
  return total * 10; // 100 clock ticks per second
}

async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** `root` and all its descendants, read from /proc (Linux). */
function tree(root: number): ProcessInfo[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    // pid (comm) state ppid …: the comm may hold spaces, so read after the last ')'.
    const ppid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parents.set(Number(name), ppid);
  }
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid);
  }
  return pids.flatMap((pid) => {
    const status = readProc(`/proc/${pid}/status`);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status ?? '')?.[1];
    const cmdline = readProc(`/proc/${pid}/cmdline`)?.split('\0').join(' ').trim();
    return rss === undefined ? [] : [{ pid, command: cmdline ?? '?', rssMb: round(Number(rss) / 1024) }];
  });
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function summary(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
