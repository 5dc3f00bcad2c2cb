/**
 * What a venue must mirror of the hub, as one hash: the set-up, the round states, the draws of
 * anonymised events (who is shown by number, and whether the names are decoded), the stages its
 * screens show (its own venue's and the event-wide ones) and the venue's boards (every row as
 * stored). Equal digests at the venue and the hub, with nothing waiting to be forwarded, mean the
 * venue shows exactly what the hub holds for it (docs/VENUES.md). The hub's state answer also
 * carries the stages themselves: a node whose digest differs only by them takes them in without a
 * resync (venueNode.ts); any other difference is resynced.
 */
import { createHash } from 'node:crypto';
import { boardsOfSetup } from '../domain/boardList.ts';
import { parseControl, type ControlState } from '../domain/control.ts';
import type { Store } from '../store/types.ts';

const PAGE = 1000;

/** JSON with object keys sorted. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Every row of a board in rank order, as stored. */
export async function boardRows(
  store: Store,
  competitionId: string,
  board: string,
): Promise<Array<{ id: string; total: string; complete: boolean; outcome: string; rank: number | null }>> {
  const out: Array<{ id: string; total: string; complete: boolean; outcome: string; rank: number | null }> =
    [];
  for (let offset = 0; ; offset += PAGE) {
    const rows = await store.top(competitionId, board, offset, PAGE);
    for (const r of rows)
      out.push({ id: r.id, total: r.total, complete: r.complete, outcome: r.outcome, rank: r.rank });
    if (rows.length < PAGE) return out;
  }
}

/** The venue's boards of a set-up (ids). */
export function venueBoardIds(setup: Parameters<typeof boardsOfSetup>[0], venueId: string): string[] {
  return boardsOfSetup(setup)
    .filter((b) => b.venueId === venueId)
    .map((b) => b.board);
}

/** The stages a venue mirrors: the event-wide ones (key `eventId`) and its own (`eventId@venueId`). */
export function venueStages(stage: ControlState['stage'], venueId: string): ControlState['stage'] {
  return Object.fromEntries(
    Object.entries(stage).filter(([key]) => !key.includes('@') || key.endsWith(`@${venueId}`)),
  );
}

/** What a venue's digest covers, read once from the store. */
export interface VenueSnapshot {
  /** sha256 (hex) of the set-up, round states, draws, the venue's stages and boards; 'none' without a set-up. */
  digest: string;
  /** The venue's stages the digest covers. */
  stages: ControlState['stage'];
  /**
   * The digest of the same read with `stages` in place of the venue's own (a node checking
   * whether the hub's stages are all that differs), without reading the store again.
   */
  digestWith(stages: ControlState['stage']): string;
}

/** The venue's digest and what it covers, from one read of the set-up, control state and boards. */
export async function venueSnapshot(
  store: Store,
  competitionId: string,
  venueId: string,
): Promise<VenueSnapshot> {
  const setup = (await store.getSetup(competitionId)).value;
  if (setup === null) return { digest: 'none', stages: {}, digestWith: () => 'none' };
  const control = parseControl((await store.getControl(competitionId)).value);
  const stages = venueStages(control.stage, venueId);
  const boards: Record<string, unknown> = {};
  for (const board of venueBoardIds(setup, venueId))
    boards[board] = await boardRows(store, competitionId, board);
  const digestWith = (hashed: ControlState['stage']): string =>
    createHash('sha256')
      .update(
        stableJson({ setup, rounds: control.rounds, draws: control.draws ?? {}, stages: hashed, boards }),
      )
      .digest('hex');
  return { digest: digestWith(stages), stages, digestWith };
}

/** The venue's digest (venueSnapshot). */
export async function venueDigest(store: Store, competitionId: string, venueId: string): Promise<string> {
  return (await venueSnapshot(store, competitionId, venueId)).digest;
}
