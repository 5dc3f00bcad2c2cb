/**
 * Starts and stops throwaway redis-server processes for tests and scripts, on free ports, in
 * temporary folders — never the shared server on 6379.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /** Turn on AOF with this fsync policy (as production should); off by default. */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Reuse this folder (to restart a server on its own data); a fresh temp folder otherwise. */
  dir?: string;
  port?: number;
  /** More redis-server arguments, e.g. ['--rename-command', 'CONFIG', ''] (a provider hiding CONFIG). */
  extraArgs?: string[];
}

export interface RedisServerHandle {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** Stop gracefully (SIGTERM) or brutally (SIGKILL), and wait for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Remove the data folder (after stop). */
  cleanup(): void;
}

const HOW_TO_GET_REDIS =
  'redis-server was not found on PATH. Podium tests need a real Redis server: install it with ' +
  '`apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), or set ' +
  'REDIS_SERVER_BIN to its path.';

export function redisServerBinary(): string {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(HOW_TO_GET_REDIS);
  return bin;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Start a redis-server and resolve once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const bin = redisServerBinary();
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'podium-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--protected-mode', 'yes', '--loglevel', 'warning');
  if (options.appendfsync) {
    args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync);
  } else {
    args.push('--appendonly', 'no');
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await waitForPing(
    port,
    () => child.exitCode !== null,
    () => output,
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(port: number, died: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`redis-server exited at start:\n${output()}`);
    const pong = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (pong.stdout?.trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${output()}`);
}
