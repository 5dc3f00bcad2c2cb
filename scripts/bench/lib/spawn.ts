/**
 * Starting benchmark processes (servers, viewer workers) as Node children with a raised
 * open-files limit and an IPC channel, and talking to them over that channel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock.ts';

/** The repository root (for cwd and script paths). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Preload that reports the child's event-loop delay over IPC (see probe.ts). */
const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));

// `ulimit -n 65536` needs CAP_SYS_RESOURCE above the hard limit; fall back to the hard limit.
const RAISE_AND_EXEC = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"';

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  /** The last 64 KiB the child wrote, for error messages. */
  output(): string;
  /** Send a message and wait for the first reply of type `replyType`. */
  request<T>(message: object, replyType: string, timeoutMs?: number): Promise<T>;
  /** Wait for the first message of type `type`. */
  next<T>(type: string, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after 3 s (60 s with BENCH_CPU_PROF); resolves on exit. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Load the event-loop probe before the script. */
  probe?: boolean;
  /** Forward the child's output to ours (viewer workers) instead of keeping it. */
  inheritOutput?: boolean;
}

/** Start `node --import tsx <script> ...args` under bash with the open-files limit raised. */
export function spawnNode(script: string, args: string[], options: SpawnOptions = {}): NodeChild {
  // BENCH_CPU_PROF=<dir>: measured servers write a V8 CPU profile there when they exit.
  const profile =
    options.probe && process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [];
  const nodeArgs = [
    '--import',
    'tsx',
    ...(options.probe ? ['--import', PROBE] : []),
    ...profile,
    script,
    ...args,
  ];
  const child = spawn('bash', ['-c', RAISE_AND_EXEC, process.execPath, ...nodeArgs], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: [
      'ignore',
      options.inheritOutput ? 'inherit' : 'pipe',
      options.inheritOutput ? 'inherit' : 'pipe',
      'ipc',
    ],
  });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${script}`);

  const next = <T>(type: string, timeoutMs = 120_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: unknown): void => {
        if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type) {
          cleanup();
          resolve(m as T);
        }
      };
      const onExit = (): void => {
        cleanup();
        reject(new Error(`${script} exited while we waited for "${type}":\n${out}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${script}: no "${type}" within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  return {
    child,
    pid: child.pid,
    output: () => out,
    next,
    request<T>(message: object, replyType: string, timeoutMs?: number): Promise<T> {
      const reply = next<T>(replyType, timeoutMs);
      child.send(message);
      return reply;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // V8 writes a --cpu-prof profile at exit, which takes a while on a loaded machine.
      const timer = setTimeout(() => child.kill('SIGKILL'), process.env.BENCH_CPU_PROF ? 60_000 : 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolve once 127.0.0.1:`port` accepts TCP connections; throw after `timeoutMs`. */
export async function waitForPort(
  port: number,
  timeoutMs = 30_000,
  died?: () => string | null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const why = died?.();
    if (why) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}
