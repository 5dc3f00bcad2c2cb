/**
 * Seeds a benchmark competition straight into the store Podium servers will share (through the
 * real ContestService, as an organiser would), and issues the judges' access codes. The judges
 * then sign in over HTTP like tablets do (see signInJudges).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { commandSchemas } from '../../../shared/commands.ts';
import type { CompetitionInput } from '../../../shared/model.ts';
import { AuthServiceImpl } from '../../../server/auth/service.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { RedisStore } from '../../../server/store/redis/redisStore.ts';
import { contestantId, judgeId, MAX_MARK } from './schedule.ts';

export const BENCH_EVENT = 'e1';
export const BENCH_ROUND = 'r1';
export const BENCH_CRITERION = 'c1';

/**
 * One event whose total is the plain sum of every judge's single mark (see schedule.ts). Judging
 * is blind, as contests run by default: a judge's tablet is not pushed every other judge's marks
 * (with 150 judges on one non-blind event, each mark would push 150 personal worklist lines).
 */
export function benchCompetition(id: string, contestants: number, judges: number): CompetitionInput {
  return {
    id,
    name: `Benchmark ${id}`,
    events: [
      {
        id: BENCH_EVENT,
        name: 'Benchmark event',
        criteria: [{ id: BENCH_CRITERION, label: 'Score', max: MAX_MARK, step: 1 }],
        scoring: { aggregation: { kind: 'sum' }, decimals: 0, blind: true },
        rounds: [{ id: BENCH_ROUND, name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: contestants }, (_, i) => ({
      id: contestantId(i),
      eventId: BENCH_EVENT,
      bib: `B${i + 1}`,
      name: `Contestant ${i + 1}`,
      organisation: `Organisation ${(i % 20) + 1}`,
      region: 'Bench',
    })),
    judges: Array.from({ length: judges }, (_, j) => ({
      id: judgeId(j),
      name: `Judge ${j + 1}`,
      role: 'judge' as const,
      eventIds: [BENCH_EVENT],
    })),
  };
}

/** Put the set-up, open the round, and return one access code per judge (in judge order). */
export async function seedCompetition(
  redisUrl: string,
  competitionId: string,
  contestants: number,
  judges: number,
): Promise<string[]> {
  const redis = new Redis(redisUrl);
  const store = new RedisStore(redis, { closeClient: true });
  const logger = createLogger('warn');
  try {
    const service = new ContestService({ store, logger });
    const organiser: Actor = { kind: 'organiser', id: 'bench' };
    const competition = benchCompetition(competitionId, contestants, judges);
    await service.execute(organiser, {
      name: 'setup.put',
      payload: commandSchemas['setup.put'].parse({ opId: randomUUID(), competition }),
    });
    await service.execute(organiser, {
      name: 'round.state',
      payload: commandSchemas['round.state'].parse({
        opId: randomUUID(),
        competitionId,
        eventId: BENCH_EVENT,
        roundId: BENCH_ROUND,
        state: 'open',
      }),
    });
    const auth = new AuthServiceImpl({ store, logger });
    const codes: string[] = [];
    for (let j = 0; j < judges; j++) codes.push((await auth.issueJudgeCode(competitionId, judgeId(j))).code);
    return codes;
  } finally {
    await store.close();
  }
}

/** Sign every code in through POST /api/auth/judge and return the session tokens. */
export async function signInJudges(base: string, codes: string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const code of codes) {
    const res = await fetch(`${base}/api/auth/judge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const body = (await res.json()) as { token?: string; message?: string };
    if (!res.ok || !body.token)
      throw new Error(`judge sign-in failed (${res.status}): ${body.message ?? ''}`);
    tokens.push(body.token);
  }
  return tokens;
}
