/**
 * An in-process Podium for browser tests that browsers open as `http://podium.test:<port>` — a
 * venue-network-like name Chromium maps to loopback (`--host-resolver-rules`), so no page can show a
 * loopback address — while Node reaches it at `local`. Real Redis (or, without `redisUrl`, the
 * embedded store), its own data folder; with `venueLink`, a venue node linked to that hub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodiumConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../server/main.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { freePort } from '../support/redis-server.ts';

export interface NamedPodium {
  running: RunningPodium;
  /** The address browsers open (podium.test). */
  url: string;
  /** The same server by its loopback address, for Node's own requests. */
  local: string;
  /** Sign the organiser in; the bearer token. */
  organiserToken(): Promise<string>;
  /** A Chromium whose `podium.test` is this machine's loopback. */
  browser(): Promise<TestBrowser>;
  /** Stop the server and remove its data folder. */
  stop(): Promise<void>;
}

export async function startNamedPodium(options: {
  redisUrl: string | undefined;
  adminPassword: string;
  /** Names the temporary data folder (podium-<name>-…). */
  name: string;
  venueLink?: PodiumConfig['venueLink'];
}): Promise<NamedPodium> {
  const port = await freePort();
  const url = `http://podium.test:${port}`;
  const local = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), `podium-${options.name}-`));
  const config: PodiumConfig = {
    port,
    host: '127.0.0.1',
    redisUrl: options.redisUrl,
    dataDir,
    allowedOrigins: [url, local],
    publicUrl: url,
    coalesceMs: 50,
    trustProxy: 'loopback',
    adminUser: 'admin',
    adminPassword: options.adminPassword,
    logLevel: 'silent',
    ...(options.venueLink === undefined ? {} : { venueLink: options.venueLink }),
  };
  const running = await startPodium(config, createLogger('silent'));
  return {
    running,
    url,
    local,
    async organiserToken() {
      const signIn = await fetch(`${local}/api/auth/organiser`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'admin', password: options.adminPassword }),
      });
      return ((await signIn.json()) as { token: string }).token;
    },
    browser: () => launchBrowser({ args: ['--host-resolver-rules=MAP podium.test 127.0.0.1'] }),
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
