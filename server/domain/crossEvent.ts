/**
 * Cross-event standings: events are marked on different scales, so a contestant's final result is
 * standardised within its event (WorldSkills style: median → 700, spread 100; shared/scoring
 * standardise) before one ranking across all events is drawn. Derived on read from the stored
 * boards, so it is as reproducible from the log as they are.
 */
import { boardKey, type RankedRow } from '../../shared/boards.ts';
import { compare, parse } from '../../shared/decimal.ts';
import type { Competition, ContestEvent } from '../../shared/model.ts';
import { standardise } from '../../shared/scoring/index.ts';
import { hasOverall, OVERALL } from './projection.ts';

export interface CrossEventRow {
  contestantId: string;
  eventId: string;
  /** The contestant's final total in their event. */
  total: string;
  /** Standardised score, exact to 2 decimals. */
  standardised: string;
  /** Standard competition rank across all events (1, 2, 2, 4). */
  rank: number;
}

/** The board holding an event's final result: its weighted overall, else its last round. */
export function resultBoard(event: ContestEvent): string {
  const roundId = hasOverall(event) ? OVERALL : (event.rounds.at(-1)?.id ?? OVERALL);
  return boardKey({ eventId: event.id, roundId, scope: 'individual' });
}

/**
 * One ranking across events from each event's result rows. Only complete, regular results count:
 * provisional totals and DNS/DNF/DSQ would distort the median an event is standardised around.
 */
export function crossEventStandings(
  setup: Competition,
  rowsByEvent: ReadonlyMap<string, readonly RankedRow[]>,
): CrossEventRow[] {
  const rows: Omit<CrossEventRow, 'rank'>[] = [];
  for (const event of setup.events) {
    const counted = (rowsByEvent.get(event.id) ?? []).filter((r) => r.complete && r.outcome === 'ok');
    // A lower-is-better event standardises with the sign flipped, so higher is better across events.
    const scores = standardise(
      counted.map((r) => r.total),
      700,
      100,
      event.scoring.better,
    );
    counted.forEach((r, i) =>
      rows.push({ contestantId: r.id, eventId: event.id, total: r.total, standardised: scores[i] ?? '' }),
    );
  }
  rows.sort(
    (a, b) =>
      compare(parse(b.standardised), parse(a.standardised)) || a.contestantId.localeCompare(b.contestantId),
  );
  let rank = 0;
  return rows.map((row, i) => {
    const previous = rows[i - 1];
    if (previous === undefined || compare(parse(previous.standardised), parse(row.standardised)) !== 0)
      rank = i + 1;
    return { ...row, rank };
  });
}
