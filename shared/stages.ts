/**
 * Which stage a page shows when an event has several (docs/VENUES.md "Stages"): the stages arrive
 * keyed by `stageId` (the event, or `eventId@venueId` for a venue's), in the order they last
 * changed — the watch ack lists them so, and each `stage:update` moves its stage to the end.
 */
import type { StageState } from './events.ts';

/** The key of a stage: its event's id, or `eventId@venueId` for a venue's stage. */
export function stageId(stage: { eventId: string; venueId?: string | undefined }): string {
  return stage.venueId === undefined ? stage.eventId : `${stage.eventId}@${stage.venueId}`;
}

/** The event and venue a stage key names (the inverse of stageId). */
export function parseStageId(key: string): { eventId: string; venueId?: string } {
  const at = key.indexOf('@');
  return at < 0 ? { eventId: key } : { eventId: key.slice(0, at), venueId: key.slice(at + 1) };
}

/** Stages by key, in the order they last changed (the newest last). */
export type StageMap = Readonly<Record<string, StageState>>;

/** The stages of a watch ack, by key, in the ack's order. */
export function stagesFrom(list: readonly StageState[]): StageMap {
  return Object.fromEntries(list.map((s) => [stageId(s), s]));
}

/** `stages` with one changed stage, moved to the end (the most recent). */
export function withStage(stages: StageMap, stage: StageState): StageMap {
  const key = stageId(stage);
  const rest = Object.fromEntries(Object.entries(stages).filter(([k]) => k !== key));
  return { ...rest, [key]: stage };
}

/**
 * The stage a page shows for an event. With a venue (a venue's screen, an address's `&v=`): that
 * venue's stage, or the event-wide one while the venue has none. Without: the event-wide stage
 * when someone is on it, else the venue stage that changed last with someone on it, else the
 * event-wide stage (nobody on it).
 */
export function stageFor(stages: StageMap, eventId: string, venueId?: string | null): StageState | null {
  const plain = Object.hasOwn(stages, eventId) ? (stages[eventId] ?? null) : null;
  if (venueId !== undefined && venueId !== null) {
    const key = `${eventId}@${venueId}`;
    return Object.hasOwn(stages, key) ? (stages[key] ?? null) : plain;
  }
  if (plain !== null && plain.contestantId !== null) return plain;
  const recent = Object.values(stages)
    .filter((s) => s.eventId === eventId && s.venueId !== undefined && s.contestantId !== null)
    .at(-1);
  return recent ?? plain;
}
