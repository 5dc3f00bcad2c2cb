/**
 * The judge consistency read (issue #16, item 3; docs/RULES.md, "Judge consistency"): each
 * judge's marks against the rest of the panel over one event's sheets (or one round's), for the
 * organisers and the event's chief judges only — never the public, never another judge. Read on
 * request from the stored sheets; it writes nothing and changes no score.
 */
import { judgeConsistency, type ConsistencyAnswer } from '../../shared/insight/judgeConsistency.ts';
import type { Competition } from '../../shared/model.ts';
import type { Store } from '../store/types.ts';
import type { Actor } from './actor.ts';
import { PodiumError } from './errors.ts';
import { markingJudgeIds } from './officialOps.ts';
import { assignedJudgeIds } from './policy.ts';

/** Organisers, and chief judges assigned to the event; everyone else is refused. */
export function requireConsistencyReader(actor: Actor, setup: Competition, eventId: string): void {
  if (actor.kind === 'organiser') return;
  if (
    actor.kind === 'judge' &&
    actor.competitionId === setup.id &&
    setup.judges.some((j) => j.id === actor.judgeId && j.role === 'chief' && j.eventIds.includes(eventId))
  )
    return;
  throw new PodiumError('forbidden', "judge consistency is for the organisers and the event's chief judges");
}

export async function consistencyFor(
  store: Pick<Store, 'getSheets'>,
  setup: Competition,
  eventId: string,
  roundId: string | null,
): Promise<ConsistencyAnswer> {
  const event = setup.events.find((e) => e.id === eventId);
  if (event === undefined) throw new PodiumError('not_found', `no event ${eventId}`);
  if (roundId !== null && !event.rounds.some((r) => r.id === roundId))
    throw new PodiumError('not_found', `no round ${roundId} in event ${eventId}`);
  const contestants = new Set(setup.contestants.filter((c) => c.eventId === eventId).map((c) => c.id));
  const rounds = new Set(event.rounds.map((r) => r.id));
  const sheets = (await store.getSheets(setup.id))
    .filter(
      ({ key }) =>
        key.eventId === eventId &&
        rounds.has(key.roundId) &&
        (roundId === null || key.roundId === roundId) &&
        contestants.has(key.contestantId),
    )
    .sort((a, b) => (a.key.roundId + a.key.contestantId < b.key.roundId + b.key.contestantId ? -1 : 1))
    .map(({ key, sheet }) => ({
      roundId: key.roundId,
      contestantId: key.contestantId,
      sheet,
      judges: markingJudgeIds(setup, { eventId, contestantId: key.contestantId }, sheet),
    }));
  const lines = judgeConsistency(event, sheets, assignedJudgeIds(setup, eventId));
  const judges = new Map(setup.judges.map((j) => [j.id, j]));
  return {
    ok: true,
    competitionId: setup.id,
    competitionName: setup.name,
    eventId,
    eventName: event.name,
    roundId,
    blind: event.scoring.blind,
    sheets: sheets.filter((s) => s.sheet.outcome === 'ok').length,
    judges: lines.map((l) => ({
      ...l,
      name: judges.get(l.judgeId)?.name ?? l.judgeId,
      role: judges.get(l.judgeId)?.role ?? 'judge',
    })),
  };
}
