/** Where each registered contestant of a round stands, for the spectator page's "whole field" list. */
import type { RankedRow } from '../../../shared/boards.ts';
import type { StageState } from '../../../shared/events.ts';
import type { Contestant } from '../../../shared/model.ts';

export type FieldStatus = 'waiting' | 'on_stage' | 'being_marked' | 'scored' | 'dns' | 'dnf' | 'dsq';

export interface FieldLine {
  contestant: Contestant;
  status: FieldStatus;
  row: RankedRow | null;
}

/**
 * Every registered contestant in start order (bib, numbers compared as numbers) with a status:
 * DNS/DNF/DSQ from the result; on stage (being marked once a judge has marked); being marked while
 * the result is provisional; scored; else waiting.
 */
export function fieldLines(
  contestants: readonly Contestant[],
  rows: readonly RankedRow[],
  stage: StageState | null,
): FieldLine[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return [...contestants]
    .sort((a, b) => a.bib.localeCompare(b.bib, undefined, { numeric: true }))
    .map((contestant) => {
      const row = byId.get(contestant.id) ?? null;
      return { contestant, row, status: statusOf(contestant.id, row, stage) };
    });
}

function statusOf(id: string, row: RankedRow | null, stage: StageState | null): FieldStatus {
  if (row !== null && row.outcome !== 'ok') return row.outcome;
  if (stage?.contestantId === id) {
    if (stage.complete) return 'scored';
    return stage.judges.some((j) => j.marked) ? 'being_marked' : 'on_stage';
  }
  if (row === null) return 'waiting';
  return row.complete ? 'scored' : 'being_marked';
}

/** Lines whose bib, name or organisation contains the query (case-insensitive). */
export function searchField(lines: readonly FieldLine[], query: string): FieldLine[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...lines];
  return lines.filter(({ contestant: c }) =>
    [c.bib, c.name, c.organisation].some((text) => text.toLowerCase().includes(q)),
  );
}
