/**
 * Durability is checked at start (issue #12, item 8): a Redis that would lose acknowledged marks is
 * reported on /readyz and /metrics, and PODIUM_REQUIRE_DURABLE=1 refuses to start on it; the
 * embedded store and Redis with appendfsync always count as durable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnPodium, startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function redisServer(
  appendfsync?: 'always' | 'everysec',
  extraArgs: string[] = [],
): Promise<RedisServerHandle> {
  const server = await startRedisServer({ ...(appendfsync === undefined ? {} : { appendfsync }), extraArgs });
  cleanups.push(async () => {
    await server.stop();
    server.cleanup();
  });
  return server;
}

async function podium(redisUrl?: string): Promise<TestPodium> {
  const running = await startTestPodium(redisUrl === undefined ? {} : { redisUrl });
  cleanups.push(() => running.stop());
  return running;
}

async function readyz(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function durableGauge(url: string): Promise<string | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').find((line) => line.startsWith('podium_store_durable{'));
}

describe('store durability at start', () => {
  it('regression: reports a Redis with appendonly no as not durable on /readyz and /metrics (it started silently)', async () => {
    const redis = await redisServer();
    const running = await podium(redis.url);
    expect(await readyz(running.url)).toEqual({
      status: 200,
      body: { ready: true, store: 'redis', durable: false, persistence: 'none' },
    });
    expect(await durableGauge(running.url)).toBe('podium_store_durable{store="redis",persistence="none"} 0');
  });

  it('reports Redis with appendonly yes + appendfsync everysec as not durable (power loss loses ~1 s)', async () => {
    const redis = await redisServer('everysec');
    const running = await podium(redis.url);
    expect((await readyz(running.url)).body).toMatchObject({ durable: false, persistence: 'aof-everysec' });
    expect(await durableGauge(running.url)).toMatch(/persistence="aof-everysec"\} 0$/);
  });

  it('reports Redis with appendonly yes + appendfsync always as durable', async () => {
    const redis = await redisServer('always');
    const running = await podium(redis.url);
    expect((await readyz(running.url)).body).toMatchObject({ durable: true, persistence: 'aof-always' });
    expect(await durableGauge(running.url)).toBe(
      'podium_store_durable{store="redis",persistence="aof-always"} 1',
    );
  });

  it('falls back to INFO persistence where CONFIG is disabled: AOF on but fsync unconfirmed is not durable', async () => {
    const hidden = ['--rename-command', 'CONFIG', ''];
    const withAof = await podium((await redisServer('always', hidden)).url);
    expect((await readyz(withAof.url)).body).toMatchObject({
      durable: false,
      persistence: 'aof-unknown-fsync',
    });
    const withoutAof = await podium((await redisServer(undefined, hidden)).url);
    expect((await readyz(withoutAof.url)).body).toMatchObject({ durable: false, persistence: 'no-aof' });
  });

  it('reports the embedded store (fsynced log) as durable', async () => {
    const running = await podium();
    expect((await readyz(running.url)).body).toMatchObject({
      store: 'embedded',
      durable: true,
      persistence: 'embedded-fsync',
    });
    expect(await durableGauge(running.url)).toMatch(/\} 1$/);
  });

  it('with PODIUM_REQUIRE_DURABLE=1, server/main.ts refuses to start on appendonly no, saying why', async () => {
    const redis = await redisServer();
    const start = spawnPodium({ redisUrl: redis.url, env: { PODIUM_REQUIRE_DURABLE: '1' } });
    await expect(start).rejects.toThrow(
      /exited \(code 1\)[\s\S]*PODIUM_REQUIRE_DURABLE=1 and the store is not durable/,
    );
    await expect(start).rejects.toThrow(/appendfsync always/);
  });

  it('without it, server/main.ts starts on appendonly no but warns loudly', async () => {
    const redis = await redisServer();
    const running = await spawnPodium({ redisUrl: redis.url });
    cleanups.push(() => running.stop());
    expect(running.output()).toContain('ACKNOWLEDGED MARKS ARE NOT SAFE');
  });

  it('with PODIUM_REQUIRE_DURABLE=1, server/main.ts starts on appendfsync always', async () => {
    const redis = await redisServer('always');
    const running = await spawnPodium({ redisUrl: redis.url, env: { PODIUM_REQUIRE_DURABLE: '1' } });
    cleanups.push(() => running.stop());
    expect((await readyz(running.url)).body).toMatchObject({ ready: true, durable: true });
  });
});
