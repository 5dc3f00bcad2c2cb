/** Choosing which event and round a public page shows when the address does not say. */
import type { PublicCompetition, PublicControl } from '../../../shared/events.ts';
import type { ContestEvent } from '../../../shared/model.ts';

/** The requested event, or the competition's first event. */
export function pickEvent(competition: PublicCompetition, eventId: string | null): ContestEvent | null {
  return competition.events.find((e) => e.id === eventId) ?? competition.events[0] ?? null;
}

/**
 * The requested round ('overall' allowed), else the round running now, else the latest round
 * that has started, else the first round.
 */
export function pickRound(
  event: ContestEvent,
  control: PublicControl | null,
  roundId: string | null,
): string {
  if (roundId === 'overall' || event.rounds.some((r) => r.id === roundId)) return roundId ?? 'overall';
  const state = (id: string): string => control?.rounds[`${event.id}|${id}`] ?? 'pending';
  const open = event.rounds.find((r) => state(r.id) === 'open');
  if (open !== undefined) return open.id;
  const started = event.rounds.filter((r) => state(r.id) !== 'pending').at(-1);
  return (started ?? event.rounds[0])?.id ?? 'overall';
}

/** A round's display name; 'overall' is translated by the caller. */
export function roundName(event: ContestEvent, roundId: string): string | null {
  return event.rounds.find((r) => r.id === roundId)?.name ?? null;
}

/** The event a rotating display shows: the requested one, moved on `step` events (wrapping). */
export function rotatedEvent(
  competition: PublicCompetition,
  requested: string | null,
  step: number,
): ContestEvent | null {
  const first = pickEvent(competition, requested);
  const events = competition.events;
  if (first === null || step === 0 || events.length < 2) return first;
  return events[(events.indexOf(first) + step) % events.length] ?? first;
}
