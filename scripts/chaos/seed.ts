/**
 * The chaos competition: the demo competition (three events, trimmed means, two weighted rounds,
 * teams, medals) with its judges replaced by `judges` plain judges spread over the events. It is
 * put into the store as an organiser would through the real ContestService, every event's
 * preliminary round is opened, and every judge gets a real access code.
 */
import { randomUUID } from 'node:crypto';
import { AuthServiceImpl } from '../../server/auth/service.ts';
import { demoCompetition } from '../../server/demo/demoCompetition.ts';
import type { Actor } from '../../server/domain/actor.ts';
import { ContestService } from '../../server/domain/service.ts';
import { createLogger } from '../../server/logger.ts';
import { openStore } from '../../server/store/index.ts';
import { commandSchemas } from '../../shared/commands.ts';
import type { Competition, Criterion } from '../../shared/model.ts';

export const CHAOS_ROUND = 'prelim';

export interface ChaosJudge {
  id: string;
  eventId: string;
  /** The access code an organiser would print for this judge. */
  code: string;
  /** The judged criteria of the judge's event, and the contestants of that event. */
  criteria: Array<Pick<Criterion, 'id' | 'min' | 'max' | 'step'>>;
  contestantIds: string[];
}

/** The demo set-up with `judges` judges (`chaos-j01`…) assigned round-robin to the events. */
export function chaosCompetition(competitionId: string, judges: number, seed: number): Competition {
  const base = demoCompetition({ competitionId, seed, contestantsPerEvent: 20 });
  const eventIds = base.events.map((e) => e.id);
  return {
    ...base,
    judges: Array.from({ length: judges }, (_, i) => ({
      id: `chaos-j${String(i + 1).padStart(2, '0')}`,
      name: `Chaos judge ${i + 1}`,
      role: 'judge' as const,
      eventIds: [eventIds[i % eventIds.length] ?? ''],
    })),
  };
}

/** Seed the competition into the Redis at `redisUrl`, open the rounds, issue one code per judge. */
export async function seedChaos(
  redisUrl: string,
  competitionId: string,
  judges: number,
  seed: number,
): Promise<ChaosJudge[]> {
  const logger = createLogger('warn');
  const { store } = await openStore({ redisUrl, dataDir: 'unused' });
  try {
    const service = new ContestService({ store, logger });
    const organiser: Actor = { kind: 'organiser', id: 'chaos' };
    const competition = chaosCompetition(competitionId, judges, seed);
    await service.execute(organiser, {
      name: 'setup.put',
      payload: commandSchemas['setup.put'].parse({ opId: randomUUID(), competition }),
    });
    for (const event of competition.events) {
      await service.execute(organiser, {
        name: 'round.state',
        payload: commandSchemas['round.state'].parse({
          opId: randomUUID(),
          competitionId,
          eventId: event.id,
          roundId: CHAOS_ROUND,
          state: 'open',
        }),
      });
    }
    const auth = new AuthServiceImpl({ store, logger });
    const seeded: ChaosJudge[] = [];
    for (const judge of competition.judges) {
      const eventId = judge.eventIds[0] ?? '';
      const event = competition.events.find((e) => e.id === eventId);
      if (event === undefined) throw new Error(`judge ${judge.id} has no event`);
      seeded.push({
        id: judge.id,
        eventId,
        code: (await auth.issueJudgeCode(competitionId, judge.id)).code,
        criteria: event.criteria.filter((c) => c.kind === 'judged'),
        contestantIds: competition.contestants.filter((c) => c.eventId === eventId).map((c) => c.id),
      });
    }
    return seeded;
  } finally {
    await store.close();
  }
}

/** Sign a judge in through POST /api/auth/judge, as the tablet does; returns the session token. */
export async function signInJudge(baseUrl: string, code: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/judge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const body = (await res.json()) as { token?: unknown; message?: unknown };
  if (!res.ok || typeof body.token !== 'string') {
    throw new Error(`judge sign-in failed (${res.status}): ${String(body.message ?? '')}`);
  }
  return body.token;
}
