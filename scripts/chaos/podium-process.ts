/**
 * A real Podium server (server/main.ts) as a child process on a fixed port, for crash tests: it
 * can be SIGKILLed and started again on the same port. Unlike test/support/podium-server.ts it
 * waits longer for a slow start (a loaded machine) and never leaves a half-started child behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 3_000;
/** Every child still running, killed if this process exits first (e.g. a test timed out). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface PodiumChild {
  child: ChildProcess;
  /** The last 16 KiB the process printed. */
  output(): string;
  /** Send `signal` (SIGKILL: a crash) and wait for the exit. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** Start Podium with `env` (PORT, REDIS_URL or PODIUM_DATA_DIR…) and resolve once it listens. */
export async function startPodiumChild(env: Record<string, string>): Promise<PodiumChild> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env };
  if (env.REDIS_URL === undefined) delete childEnv.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // A graceful stop that hangs (open sockets) becomes a kill: teardown must stay bounded.
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(force);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Podium did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const onData = (): void => {
        if (/listening on port \d+/.test(output)) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Podium exited (code ${code}) before listening:\n${output}`));
      });
    });
  } catch (err) {
    await stop('SIGKILL');
    throw err;
  }
  return { child, output: () => output, stop };
}
