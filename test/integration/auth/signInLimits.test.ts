/**
 * Sign-in limits against a real Podium (issue #12, item 6): a stranger's failures never lock the
 * right password (or judge code) out from another address, while guessing from one address or
 * spread over many stays bounded. Client addresses are simulated with X-Forwarded-For, which the
 * test Podium believes from loopback only (PODIUM_TRUST_PROXY=loopback).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  http,
  opId,
  ORGANISER,
  securityCompetition,
  uniqueId,
  type HttpAnswer,
} from '../../support/fixtures.ts';
import {
  startTestPodium,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USER,
  type TestPodium,
} from '../../support/podium-server.ts';
import { startRedisServer, type RedisServerHandle } from '../../support/redis-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

/** A Podium on the embedded store (limits in memory) or on its own throwaway Redis (limits in Redis). */
async function start(kind: 'embedded' | 'redis'): Promise<TestPodium> {
  let redis: RedisServerHandle | undefined;
  if (kind === 'redis') {
    redis = await startRedisServer();
    const server = redis;
    cleanups.push(async () => {
      await server.stop();
      server.cleanup();
    });
  }
  const podium = await startTestPodium(redis === undefined ? {} : { redisUrl: redis.url });
  cleanups.push(() => podium.stop());
  return podium;
}

/** An organiser sign-in from `address`. */
function signIn(
  podium: TestPodium,
  address: string,
  password: string,
  user = TEST_ADMIN_USER,
): Promise<HttpAnswer> {
  return http(podium.url, '/api/auth/organiser', {
    method: 'POST',
    json: { user, password },
    headers: { 'x-forwarded-for': address },
  });
}

/** A judge sign-in from `address`. */
function judgeSignIn(podium: TestPodium, address: string, code: string): Promise<HttpAnswer> {
  return http(podium.url, '/api/auth/judge', {
    method: 'POST',
    json: { code },
    headers: { 'x-forwarded-for': address },
  });
}

describe.each(['embedded', 'redis'] as const)('sign-in limits (%s)', (kind) => {
  it("regression: a stranger's wrong passwords from other addresses no longer lock the organiser out of a new address", async () => {
    const podium = await start(kind);
    // One stranger hammers from one address until refused; ten more try once each.
    const stranger: number[] = [];
    for (let i = 0; i < 10; i++) stranger.push((await signIn(podium, '198.51.100.1', `guess-${i}`)).status);
    expect(stranger.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(stranger.slice(5)).toEqual([429, 429, 429, 429, 429]);
    for (let i = 0; i < 10; i++) {
      expect((await signIn(podium, `198.51.100.${10 + i}`, `guess-${i}`)).status).toBe(401);
    }
    const organiser = await signIn(podium, '203.0.113.7', TEST_ADMIN_PASSWORD);
    expect(organiser.status).toBe(200);
    expect(organiser.body).toMatchObject({ ok: true });
  });

  it('still blocks brute force from one address with 429 and a growing Retry-After, even for the right password', async () => {
    const podium = await start(kind);
    for (let i = 0; i < 5; i++) expect((await signIn(podium, '198.51.100.2', `guess-${i}`)).status).toBe(401);
    const blocked = await signIn(podium, '198.51.100.2', 'guess-5');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    const right = await signIn(podium, '198.51.100.2', TEST_ADMIN_PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // Spreading guesses over other user names from the same address meets the per-address limit.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await signIn(podium, '198.51.100.3', 'x', `user${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('bounds distributed guessing against one account: past 100 failures a day, each address gets one try', async () => {
    const podium = await start(kind);
    const addresses = Array.from({ length: 100 }, (_, i) => `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    for (const address of addresses) expect((await signIn(podium, address, 'wrong-guess')).status).toBe(401);
    // The account is under attack: an address that failed against it may not guess again today…
    const again = await signIn(podium, addresses[0] ?? '', 'another-guess');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    // …a new address gets exactly one guess…
    expect((await signIn(podium, '10.78.0.1', 'wrong-guess')).status).toBe(401);
    expect((await signIn(podium, '10.78.0.1', 'wrong-guess')).status).toBe(429);
    // …and the right password from an address that never failed still gets in.
    expect((await signIn(podium, '10.78.0.2', TEST_ADMIN_PASSWORD)).status).toBe(200);
  });

  it("regression: a stranger's wrong codes at a judge's code prefix do not lock that judge out", async () => {
    const podium = await start(kind);
    const competitionId = uniqueId('rl');
    await podium.service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: opId(), competition: securityCompetition(competitionId) },
    });
    const { code } = await podium.auth.issueJudgeCode(competitionId, 'js');
    const prefix = code.slice(0, 4);
    const wrongSuffix = code.endsWith('AAAA') ? 'BBBB' : 'AAAA';
    for (let i = 0; i < 12; i++) {
      const status = (await judgeSignIn(podium, `192.0.2.${i + 1}`, `${prefix}-${wrongSuffix}`)).status;
      expect(status).toBe(401);
    }
    expect((await judgeSignIn(podium, '203.0.113.9', code)).status).toBe(200);
  });
});
