/**
 * Starts a real Podium for tests: in this process on port 0 (`startTestPodium`, with direct
 * access to its store and services), or as a child process running server/main.ts
 * (`spawnPodium`, for several nodes sharing one Redis and for crash tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PodiumConfig } from '../../server/config.ts';
import type { SocketBudgetOverrides } from '../../server/live/socketBudgets.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../server/main.ts';
import { freePort } from './redis-server.ts';

export const TEST_ADMIN_USER = 'admin';
export const TEST_ADMIN_PASSWORD = 'test-admin-password';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TestPodiumOptions {
  /** Use this Redis (e.g. `inject('redisUrl')`); the embedded store in a temp folder otherwise. */
  redisUrl?: string;
  /** Board coalescing window; default 100 ms as in production. */
  coalesceMs?: number;
  /** Exact allowed origins; default http://localhost:<port> style defaults. */
  allowedOrigins?: string[];
  /** Reuse a data folder (restart on the same embedded data); a fresh temp folder otherwise. */
  dataDir?: string;
  logLevel?: PodiumConfig['logLevel'];
  /** Per-socket limits other than the defaults (e.g. loose ones for a fuzzer that is not under test for them). */
  socketBudgets?: SocketBudgetOverrides;
  /** Run as a venue node linked to this hub (docs/VENUES.md). */
  venueLink?: PodiumConfig['venueLink'];
}

export interface TestPodium extends RunningPodium {
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  /** An organiser session token (signs in with the test password). */
  organiserToken(): Promise<string>;
  /** Issue a code for the judge and sign in with it: the session token. */
  judgeToken(competitionId: string, judgeId: string): Promise<string>;
}

/** Start Podium in this process on a free port. Call `stop()` when done. */
export async function startTestPodium(options: TestPodiumOptions = {}): Promise<TestPodium> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'podium-test-'));
  const config: PodiumConfig = {
    port: 0,
    host: '127.0.0.1',
    redisUrl: options.redisUrl,
    dataDir,
    allowedOrigins: options.allowedOrigins ?? ['http://localhost:3000'],
    publicUrl: 'http://localhost:3000',
    coalesceMs: options.coalesceMs ?? 100,
    trustProxy: 'loopback',
    adminUser: TEST_ADMIN_USER,
    adminPassword: TEST_ADMIN_PASSWORD,
    logLevel: options.logLevel ?? 'silent',
    ...(options.socketBudgets ? { socketBudgets: options.socketBudgets } : {}),
    ...(options.venueLink ? { venueLink: options.venueLink } : {}),
  };
  const running = await startPodium(config, createLogger(config.logLevel));
  return {
    ...running,
    url: `http://127.0.0.1:${running.port}`,
    dataDir,
    async organiserToken() {
      return (await running.auth.signInOrganiser(TEST_ADMIN_USER, TEST_ADMIN_PASSWORD, '127.0.0.1')).token;
    },
    async judgeToken(competitionId, judgeId) {
      const { code } = await running.auth.issueJudgeCode(competitionId, judgeId);
      return (await running.auth.signInJudge(code, '127.0.0.1')).token;
    },
    async stop() {
      await running.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PodiumProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Stop it (SIGTERM: graceful; SIGKILL: a crash) and wait for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Spawn Podium on a free loopback port whose own address is its public address and allowed origin,
 * as the browser tests open it.
 */
export async function spawnLoopbackPodium(options: { redisUrl?: string } = {}): Promise<PodiumProcess> {
  // A port nobody listens on now, so the server's allowed origin can name it before it starts.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  return spawnPodium({
    ...options,
    env: { PORT: String(port), PODIUM_ALLOWED_ORIGINS: origin, PUBLIC_URL: origin },
  });
}

/** Run `server/main.ts` in a child process on a free port and wait until it listens. */
export async function spawnPodium(
  options: { redisUrl?: string; dataDir?: string; env?: Record<string, string> } = {},
): Promise<PodiumProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PODIUM_ADMIN_USER: TEST_ADMIN_USER,
    PODIUM_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    PODIUM_DATA_DIR: options.dataDir ?? mkdtempSync(join(tmpdir(), 'podium-proc-')),
    ...options.env,
  };
  delete env.REDIS_URL;
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`Podium did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on port (\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Podium exited (code ${code}) before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
