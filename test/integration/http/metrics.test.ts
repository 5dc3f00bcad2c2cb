/**
 * Where /metrics is served: on the public port by default; only on PODIUM_METRICS_PORT when that
 * is set (regression: metrics were always open on the public port); behind a bearer token with
 * PODIUM_METRICS_TOKEN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PodiumConfig } from '../../../server/config.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/logger.ts';
import { startPodium, type RunningPodium } from '../../../server/main.ts';

const running: RunningPodium[] = [];
const dirs: string[] = [];
const TOKEN = 'metrics-token-0123456789';

async function start(extra: Partial<PodiumConfig>): Promise<RunningPodium> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-metrics-'));
  dirs.push(dataDir);
  const config: PodiumConfig = {
    ...loadConfig({ PORT: '0', HOST: '127.0.0.1', PODIUM_ADMIN_PASSWORD: 'metrics-test-password' }),
    dataDir,
    logLevel: 'silent',
    ...extra,
  };
  const podium = await startPodium(config, createLogger('silent'));
  running.push(podium);
  return podium;
}

async function get(port: number, path: string, token?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: await res.text() };
}

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('/metrics placement', () => {
  it('is on the public port by default', async () => {
    const podium = await start({});
    const res = await get(podium.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain('podium_sockets_connected');
    expect(podium.metricsPort).toBeNull();
  });

  it('with a metrics port, is served there and not on the public port (regression: always public)', async () => {
    const podium = await start({ metricsPort: 0, metricsHost: '127.0.0.1' });
    expect(podium.metricsPort).toBeTypeOf('number');
    const metrics = await get(podium.metricsPort as number, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('podium_commands_total');
    expect((await get(podium.port, '/metrics')).body).not.toContain('podium_commands_total');
    expect((await get(podium.metricsPort as number, '/healthz')).status).toBe(404);
  });

  it('with a token, answers 401 without it or with a wrong one, and 200 with it', async () => {
    const podium = await start({ metricsToken: TOKEN });
    expect((await get(podium.port, '/metrics')).status).toBe(401);
    expect((await get(podium.port, '/metrics', 'wrong-token-0123456789')).status).toBe(401);
    expect((await get(podium.port, '/metrics', TOKEN)).status).toBe(200);
  });

  it('reads PODIUM_METRICS_PORT, PODIUM_METRICS_HOST and PODIUM_METRICS_TOKEN from the environment', () => {
    expect(
      loadConfig({ HOST: '0.0.0.0', PODIUM_METRICS_PORT: '9464', PODIUM_METRICS_TOKEN: TOKEN }),
    ).toMatchObject({ metricsPort: 9464, metricsHost: '0.0.0.0', metricsToken: TOKEN });
    expect(() => loadConfig({ PODIUM_METRICS_TOKEN: 'short' })).toThrow(/PODIUM_METRICS_TOKEN/);
  });
});
