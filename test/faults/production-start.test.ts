/**
 * The production start as an operator or a service manager runs it: `npm start` (and the exact
 * command the Dockerfile and the systemd unit use, `node dist/server/main.js`) on the built tree,
 * stopped with SIGTERM; and a restart after a SIGKILL inside a PID namespace, where the new
 * process gets the same PID as the one that died holding the embedded store's LOCK.
 * One file on purpose: the tests share the build in dist/ and must not rebuild it concurrently.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants } from './support/processTree.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_PASSWORD = 'production-start-password';
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podium-prod-'));
  dirs.push(dir);
  return dir;
}

interface Started {
  child: ChildProcess;
  port: number;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn `command` with Podium's environment on a free port; resolves once it says it listens. */
async function start(command: string[], dir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PODIUM_DATA_DIR: dir,
    PODIUM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
  };
  delete env.REDIS_URL;
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on port (\d+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before listening:\n${output}`));
    });
  });
  return { child, port, output: () => output, exit };
}

async function healthz(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  await res.arrayBuffer();
  return res.status;
}

/** The JSON-array form of a Dockerfile instruction (`CMD [...]`, `HEALTHCHECK … CMD [...]`). */
function dockerfileCommand(instruction: 'CMD' | 'HEALTHCHECK'): string[] {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const line = text.split('\n').find((l) => l.startsWith(`${instruction} `));
  const json = /CMD (\[.*\])\s*$/.exec(line ?? '')?.[1];
  if (json === undefined) throw new Error(`no ${instruction} in the Dockerfile`);
  return JSON.parse(json) as string[];
}

/** Run the Dockerfile's HEALTHCHECK command against `port`; its exit code (0 healthy, 1 not). */
function healthcheck(port: number): number | null {
  const [node, ...args] = dockerfileCommand('HEALTHCHECK');
  expect(node).toBe('node');
  return spawnSync(process.execPath, args, { env: { ...process.env, PORT: String(port) }, timeout: 10_000 })
    .status;
}

beforeAll(() => {
  // `npm test` builds first; run alone, this builds once (only if dist/ is missing or stale).
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
}, 200_000);

afterAll(() => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    for (const { pid } of descendants(child.pid as number)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('production start and stop', () => {
  it('SIGTERM to `npm start` stops the one server process gracefully and removes the LOCK (regression: tsx and node kept running, LOCK left behind)', async () => {
    const dir = dataDir();
    const npm = await start(['npm', 'start'], dir);
    expect(await healthz(npm.port)).toBe(200);
    expect(existsSync(join(dir, 'LOCK'))).toBe(true);
    // One node process under npm, running the built server: no sh, no tsx in between.
    const tree = descendants(npm.child.pid as number);
    expect(tree.map((p) => p.command)).toEqual([expect.stringMatching(/^node scripts\/start\.mjs$/)]);
    const server = tree[0]?.pid as number;

    npm.child.kill('SIGTERM');
    // Exit code 0 means the shutdown finished before its 4 s limit (the limit exits with 1).
    expect(await npm.exit).toEqual({ code: 0, signal: null });
    expect(alive(server)).toBe(false);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    expect(npm.output()).toMatch(/"msg":"stopped"/);
  });

  it("the Dockerfile's CMD answers its HEALTHCHECK, and SIGTERM stops it cleanly with viewers connected", async () => {
    const dir = dataDir();
    const cmd = dockerfileCommand('CMD');
    expect(cmd).toEqual(['node', 'dist/server/main.js']);
    const server = await start([process.execPath, ...cmd.slice(1)], dir);
    expect(await healthz(server.port)).toBe(200);
    expect(healthcheck(server.port)).toBe(0);
    // Spectators on both transports: the stop closes their sockets instead of waiting for them.
    const viewers = (['websocket', 'websocket', 'polling'] as const).map((transport) =>
      connect(`http://127.0.0.1:${server.port}/public`, { transports: [transport], reconnection: false }),
    );
    await Promise.all(
      viewers.map((v) => new Promise((resolve) => v.once('connect', () => resolve(undefined)))),
    );
    const disconnected = viewers.map((v) => new Promise((resolve) => v.once('disconnect', resolve)));

    server.child.kill('SIGTERM');
    expect(await server.exit).toEqual({ code: 0, signal: null });
    await Promise.all(disconnected);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    expect(healthcheck(server.port)).toBe(1);
    for (const v of viewers) v.close();
  });

  it('logs its banner as JSON lines when stdout is not a terminal (regression: plain text among JSON logs)', async () => {
    const server = await start([process.execPath, 'dist/server/main.js'], dataDir());
    server.child.kill('SIGTERM');
    await server.exit;
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim().length > 0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const listening = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => 'port' in l);
    expect(listening).toMatchObject({ port: server.port, level: 30 });
  });
});

const canUnshare =
  process.platform === 'linux' &&
  spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { timeout: 10_000 }).status === 0;

describe.runIf(canUnshare)('restart after SIGKILL in a PID namespace', () => {
  it('starts again although the stale LOCK names its own PID (regression: "in use by process 1 (this one)")', async () => {
    const dir = dataDir();
    const command = ['unshare', '--pid', '--fork', '--mount-proc', process.execPath, 'dist/server/main.js'];
    const first = await start(command, dir);
    expect(await healthz(first.port)).toBe(200);
    // The lock names PID 1 (as a bare number before the fix, as {"pid":1,…} after it).
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toMatch(/^(\{"pid":)?1\b/);
    // SIGKILL the namespace's PID 1 (the server) from outside: no shutdown, the LOCK stays.
    const server = descendants(first.child.pid as number)[0]?.pid as number;
    process.kill(server, 'SIGKILL');
    await first.exit;
    expect(existsSync(join(dir, 'LOCK'))).toBe(true);

    const second = await start(command, dir);
    expect(await healthz(second.port)).toBe(200);
    // As a container runtime stops it: SIGTERM to PID 1 of the namespace (unshare ignores it).
    process.kill(descendants(second.child.pid as number)[0]?.pid as number, 'SIGTERM');
    expect(await second.exit).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });
});
