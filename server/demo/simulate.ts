/**
 * Simulated judging for demos: opens a round, puts each contestant on stage, lets the event's
 * judges submit plausible marks at human-like intervals, has the chief enter measured results,
 * an occasional deduction or disqualification, then locks the sheet. Deterministic for a seed.
 */
import type { Command } from '../../shared/commands.ts';
import type { Competition, ContestEvent, Criterion } from '../../shared/model.ts';
import type { Actor } from '../domain/actor.ts';
import type { ContestService } from '../domain/service.ts';
import { seededRandom, type Random } from './random.ts';

export interface SimulateOptions {
  roundId: string;
  /** Events to judge (default: all), judged side by side. */
  eventIds?: string[];
  /** At most this many contestants per event, in bib order (default: all). */
  limit?: number;
  /** Mean pause between two actions of a judge, in ms (0: as fast as possible). */
  pauseMs?: number;
  seed?: number;
  /** Part of every opId: the same runId repeats nothing, a new one judges again. */
  runId?: string;
  /** Close the round when done (default true). */
  close?: boolean;
  signal?: AbortSignal;
  /** Called after every command (progress display). */
  onCommand?: (command: Command) => void;
  /** Only this venue's contestants (a venue node's judges); default: every venue's. */
  venueId?: string;
  /** Whether to open the round and put contestants on stage (default true; at a venue node the hub does). */
  organiserSteps?: boolean;
}

const ORGANISER: Actor = { kind: 'organiser', id: 'demo' };

/** Judge a round of a competition through the service as real judges would; returns the number of commands sent. */
export async function simulateJudging(
  service: Pick<ContestService, 'execute'>,
  setup: Competition,
  options: SimulateOptions,
): Promise<number> {
  const events = setup.events.filter(
    (e) => options.eventIds === undefined || options.eventIds.includes(e.id),
  );
  const counts = await Promise.all(events.map((event) => judgeEvent(service, setup, event, options)));
  return counts.reduce((a, b) => a + b, 0);
}

function mark(rng: Random, criterion: Criterion, skill: number): string {
  const share = Math.min(1, Math.max(0, rng.normal(skill, 0.06)));
  const steps = Math.round(((criterion.max - criterion.min) * share) / criterion.step);
  return String(Number((criterion.min + steps * criterion.step).toFixed(6)));
}

function skillOf(seed: number, contestantId: string, roundId: string): number {
  let hash = seed;
  for (const ch of contestantId) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  const base = seededRandom(hash).normal(0.74, 0.1);
  const form = seededRandom(hash ^ roundId.length).normal(0, 0.03);
  return Math.min(0.98, Math.max(0.35, base + form));
}

async function judgeEvent(
  service: Pick<ContestService, 'execute'>,
  setup: Competition,
  event: ContestEvent,
  o: SimulateOptions,
): Promise<number> {
  const seed = o.seed ?? 2026;
  const rng = seededRandom(seed ^ event.id.length ^ o.roundId.length);
  const run = o.runId ?? 'sim';
  const pause = (): Promise<void> =>
    sleep(o.pauseMs === undefined || o.pauseMs === 0 ? 0 : rng.next() * 2 * o.pauseMs, o.signal);
  const competitionId = setup.id;
  const target = { competitionId, eventId: event.id, roundId: o.roundId };
  const judges = setup.judges.filter((j) => j.eventIds.includes(event.id));
  const contestants = setup.contestants
    .filter((c) => c.eventId === event.id && (o.venueId === undefined || c.venueId === o.venueId))
    .slice(0, o.limit ?? Infinity);
  let sent = 0;
  const send = async (actor: Actor, command: Command): Promise<void> => {
    o.signal?.throwIfAborted();
    await service.execute(actor, command);
    sent++;
    o.onCommand?.(command);
  };
  const op = (what: string): string => `${run}-${o.roundId}-${what}`.slice(0, 64);

  if (o.organiserSteps !== false)
    await send(ORGANISER, {
      name: 'round.state',
      payload: { ...target, opId: op(`${event.id}-open`), state: 'open' },
    });
  let clock = Date.UTC(2026, 4, 20, 1, 0, 0);
  for (const contestant of contestants) {
    const sheet = { ...target, contestantId: contestant.id };
    const skill = skillOf(seed, contestant.id, o.roundId);
    // A judge of a venue marks only there (docs/VENUES.md).
    const panel = judges.filter((j) => j.venueId === undefined || j.venueId === contestant.venueId);
    const chief = panel.find((j) => j.role === 'chief');
    if (o.organiserSteps !== false)
      await send(ORGANISER, {
        name: 'stage.set',
        payload: { ...target, opId: op(`${contestant.id}-stage`), contestantId: contestant.id },
      });
    await Promise.all(
      panel.map(async (judge) => {
        await pause();
        const marks = Object.fromEntries(
          event.criteria.filter((c) => c.kind === 'judged').map((c) => [c.id, mark(rng, c, skill)]),
        );
        const actor: Actor = { kind: 'judge', judgeId: judge.id, competitionId, role: judge.role };
        await send(actor, {
          name: 'marks.submit',
          payload: { ...sheet, opId: op(`${contestant.id}-${judge.id}`), marks },
        });
      }),
    );
    if (chief === undefined) continue;
    const chiefActor: Actor = { kind: 'judge', judgeId: chief.id, competitionId, role: 'chief' };
    for (const c of event.criteria.filter((x) => x.kind === 'measured')) {
      const value = mark(rng, c, skill);
      await send(chiefActor, {
        name: 'measured.enter',
        payload: { ...sheet, opId: op(`${contestant.id}-m-${c.id}`), criterionId: c.id, value },
      });
    }
    clock += rng.int(5, 40) * 60_000;
    await send(chiefActor, {
      name: 'finish.set',
      payload: { ...sheet, opId: op(`${contestant.id}-finish`), finishedAt: clock },
    });
    const luck = rng.next();
    if (luck < 0.02) {
      await send(chiefActor, {
        name: 'outcome.set',
        payload: { ...sheet, opId: op(`${contestant.id}-dsq`), outcome: 'dsq', reason: '违反安全操作规程' },
      });
    } else if (luck < 0.08) {
      await send(chiefActor, {
        name: 'deduction.add',
        payload: {
          ...sheet,
          opId: op(`${contestant.id}-ded`),
          deduction: { id: 'd1', points: '2', reason: '超时两分钟' },
        },
      });
    }
    await send(chiefActor, {
      name: 'sheet.lock',
      payload: { ...sheet, opId: op(`${contestant.id}-lock`), locked: true },
    });
  }
  if (o.organiserSteps !== false) {
    await send(ORGANISER, {
      name: 'stage.set',
      payload: { ...target, opId: op(`${event.id}-unstage`), contestantId: null },
    });
    // Every venue's stage too (docs/VENUES.md "Stages"): each venue's contestants went on their own.
    const venueIds = [...new Set(contestants.flatMap((c) => (c.venueId === undefined ? [] : [c.venueId])))];
    for (const venueId of venueIds.sort())
      await send(ORGANISER, {
        name: 'stage.set',
        payload: { ...target, opId: op(`${event.id}-unstage-${venueId}`), contestantId: null, venueId },
      });
  }
  if (o.close !== false) {
    await send(ORGANISER, {
      name: 'round.state',
      payload: { ...target, opId: op(`${event.id}-close`), state: 'closed' },
    });
  }
  return sent;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}
