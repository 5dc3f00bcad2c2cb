/**
 * A judge submits while Redis does not answer (issue #12, item 9). Redis is frozen with SIGSTOP (a
 * hung server or a network black hole: the connection stays open and nothing comes back) or killed.
 * The judge must get `unavailable` within the store's command deadline (3 s) instead of no answer,
 * and once Redis is back the same opId, sent again, must be saved exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthServiceImpl } from '../../server/auth/service.ts';
import { ContestService } from '../../server/domain/service.ts';
import { createLogger } from '../../server/logger.ts';
import { RedisStore } from '../../server/store/index.ts';
import type { Ack } from '../../shared/events.ts';
import {
  ask,
  closeSockets,
  connectSocket,
  opId,
  ORGANISER,
  securityCompetition,
  uniqueId,
} from '../support/fixtures.ts';
import { spawnPodium, type PodiumProcess } from '../support/podium-server.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  closeSockets();
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

interface Running {
  redis: RedisServerHandle;
  node: PodiumProcess;
  competitionId: string;
  judge: Socket;
}

/** A throwaway Redis (AOF always), one server/main.ts on it, a competition with e1/r1 open, judge j1's socket. */
async function start(): Promise<Running> {
  const redis = await startRedisServer({ appendfsync: 'always' });
  cleanups.push(async () => {
    redis.process.kill('SIGCONT');
    await redis.stop('SIGKILL');
    redis.cleanup();
  });
  const node = await spawnPodium({ redisUrl: redis.url });
  cleanups.push(() => node.stop('SIGKILL'));
  const store = new RedisStore(redis.url);
  const competitionId = uniqueId('outage');
  let token: string;
  try {
    const service = new ContestService({ store });
    await service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: opId(), competition: securityCompetition(competitionId) },
    });
    await service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId, eventId: 'e1', roundId: 'r1', state: 'open' },
    });
    const auth = new AuthServiceImpl({ store, logger: createLogger('silent') });
    const { code } = await auth.issueJudgeCode(competitionId, 'j1');
    token = (await auth.signInJudge(code, '127.0.0.1')).token;
  } finally {
    await store.close();
  }
  const judge = await connectSocket(node.url, '/judge', { auth: { token } });
  return { redis, node, competitionId, judge };
}

function mark(competitionId: string, id: string, contestantId: string, q: string) {
  return { opId: id, competitionId, eventId: 'e1', roundId: 'r1', contestantId, marks: { q } };
}

/** The log entries of `opId` in the competition (read after Redis is back). */
async function entriesOf(redisUrl: string, competitionId: string, id: string): Promise<number> {
  const store = new RedisStore(redisUrl);
  try {
    const log = await store.readLog(competitionId, undefined, 10_000);
    return log.filter((e) => e.opId === id).length;
  } finally {
    await store.close();
  }
}

/** Send the same mark until it is acknowledged ok (Redis may take a moment to be reachable again). */
async function resendUntilSaved(judge: Socket, payload: ReturnType<typeof mark>): Promise<Ack<object>> {
  let answer: Ack<object> = { ok: false, code: 'unavailable', message: 'not sent yet' };
  await expect
    .poll(
      async () => {
        answer = await ask(judge, 'cmd:marks.submit', [payload], 10_000);
        return answer.ok;
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe(true);
  return answer;
}

describe('a judge submits during a Redis outage', () => {
  it('regression: answers unavailable while Redis is frozen (SIGSTOP) — it used to answer nothing — and the retried opId is saved exactly once', async () => {
    const { redis, competitionId, judge } = await start();
    expect(await ask(judge, 'cmd:marks.submit', [mark(competitionId, opId(), 'c1', '7')])).toMatchObject({
      ok: true,
    });

    redis.process.kill('SIGSTOP');
    const id = `op-${randomUUID()}`;
    const payload = mark(competitionId, id, 'c2', '8.5');
    // The tablet's own timeout is far longer than the store's 3 s deadline: an answer must come first.
    const during = await ask(judge, 'cmd:marks.submit', [payload], 20_000);
    expect(during).toMatchObject({ ok: false, code: 'unavailable' });
    expect(during.ok ? '' : during.message).toMatch(/same opId/);

    redis.process.kill('SIGCONT');
    const saved = await resendUntilSaved(judge, payload);
    expect(saved).toMatchObject({ ok: true });
    expect(await entriesOf(redis.url, competitionId, id)).toBe(1);
  });

  it('answers unavailable while Redis is down (SIGKILL), and the retried opId is saved exactly once after a restart', async () => {
    const { redis, competitionId, judge } = await start();
    expect(await ask(judge, 'cmd:marks.submit', [mark(competitionId, opId(), 'c1', '7')])).toMatchObject({
      ok: true,
    });

    await redis.stop('SIGKILL');
    const id = `op-${randomUUID()}`;
    const payload = mark(competitionId, id, 'c3', '9');
    const during = await ask(judge, 'cmd:marks.submit', [payload], 20_000);
    expect(during).toMatchObject({ ok: false, code: 'unavailable' });

    const again = await startRedisServer({ appendfsync: 'always', dir: redis.dir, port: redis.port });
    cleanups.push(() => again.stop('SIGKILL'));
    await resendUntilSaved(judge, payload);
    expect(await entriesOf(again.url, competitionId, id)).toBe(1);
  });
});
