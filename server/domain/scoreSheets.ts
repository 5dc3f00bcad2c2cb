/**
 * The data of printed score sheets (评分表): per contestant of one event round, every marking
 * judge's mark per criterion with the marks a trimmed mean dropped flagged, measured values,
 * deductions, total and rank — computed by the same pure computeSheet the boards use, so the paper
 * and the board cannot disagree. Also the per-judge marks export (marks.csv) reads this.
 */
import { boardKey } from '../../shared/boards.ts';
import { parse } from '../../shared/decimal.ts';
import type { Competition, ContestEvent, Round } from '../../shared/model.ts';
import type { PrintedSheet, ScoreSheets } from '../../shared/paper.ts';
import { own } from '../../shared/records.ts';
import { computeSheet } from '../../shared/scoring/index.ts';
import { droppedJudges } from '../../shared/scoring/dropped.ts';
import type { JudgeMark } from '../../shared/scoring/divergence.ts';
import type { PublicControl } from '../../shared/events.ts';
import type { Store } from '../store/types.ts';
import { officialStatus } from '../../shared/official.ts';
import { markingJudgeIds } from './officialOps.ts';

const CHUNK = 200;

/** The contestants of an event in bib order (numbers compared as numbers). */
export function contestantsOf(setup: Competition, eventId: string): Competition['contestants'] {
  return setup.contestants
    .filter((c) => c.eventId === eventId)
    .sort((a, b) => a.bib.localeCompare(b.bib, undefined, { numeric: true }));
}

/** Score sheets of one round, for every contestant of the event or only `contestantIds`. */
export async function scoreSheets(
  store: Pick<Store, 'getSheet' | 'rankOf'>,
  setup: Competition,
  event: ContestEvent,
  round: Round,
  control: Pick<PublicControl, 'rounds'>,
  contestantIds?: readonly string[],
): Promise<ScoreSheets> {
  const wanted = contestantIds === undefined ? null : new Set(contestantIds);
  const people = contestantsOf(setup, event.id).filter((c) => wanted === null || wanted.has(c.id));
  const board = boardKey({ eventId: event.id, roundId: round.id, scope: 'individual' });
  const sheets: PrintedSheet[] = [];
  const printedJudges = new Set<string>();
  for (let i = 0; i < people.length; i += CHUNK) {
    const chunk = people.slice(i, i + CHUNK);
    const read = await Promise.all(
      chunk.map(async (c) => ({
        sheet: (await store.getSheet(setup.id, { eventId: event.id, roundId: round.id, contestantId: c.id }))
          .value,
        row: await store.rankOf(setup.id, board, c.id),
      })),
    );
    chunk.forEach((c, j) => {
      const { sheet, row } = read[j] as (typeof read)[number];
      // The judges this sheet waits for: its venue's panel, a chief only when on the panel or marking.
      const judgeIds = markingJudgeIds(setup, { eventId: event.id, contestantId: c.id }, sheet);
      for (const id of judgeIds) printedJudges.add(id);
      const result = computeSheet(event, judgeIds, sheet);
      sheets.push({
        contestant: {
          id: c.id,
          bib: c.bib,
          name: c.name,
          organisation: c.organisation,
          region: c.region,
          category: c.category ?? null,
        },
        judgeIds,
        criteria: event.criteria.map((criterion) => {
          const score = own(result.criteria, criterion.id) ?? null;
          if (criterion.kind === 'measured') {
            const measured = own(sheet.measured, criterion.id) ?? null;
            return {
              id: criterion.id,
              label: criterion.label,
              kind: 'measured',
              weight: criterion.weight,
              marks: [],
              measured,
              score,
            };
          }
          const given: JudgeMark[] = [];
          const marks = judgeIds.map((judgeId) => {
            const mark = own(own(sheet.marks, judgeId) ?? {}, criterion.id) ?? null;
            if (mark !== null) given.push({ judgeId, mark: parse(mark) });
            return { judgeId, mark };
          });
          const dropped = droppedJudges(event.scoring.aggregation, given);
          return {
            id: criterion.id,
            label: criterion.label,
            kind: 'judged',
            weight: criterion.weight,
            marks: marks.map((m) => ({ ...m, dropped: dropped.has(m.judgeId) })),
            measured: null,
            score,
          };
        }),
        deductions: sheet.deductions.map((d) => ({ points: d.points, reason: d.reason })),
        outcome: sheet.outcome,
        total: result.total,
        rank: row?.rank ?? null,
        complete: result.complete,
        locked: sheet.locked,
      });
    });
  }
  const aggregation = event.scoring.aggregation;
  return {
    ok: true,
    competition: { id: setup.id, name: setup.name },
    event: { id: event.id, name: event.name },
    round: { id: round.id, name: round.name },
    status: officialStatus(event, round.id, control),
    aggregation:
      aggregation.kind === 'trimmed'
        ? { kind: 'trimmed', trim: aggregation.trim }
        : { kind: aggregation.kind },
    better: event.scoring.better ?? 'higher',
    // Every judge who marks any printed sheet, in the set-up's order.
    judges: setup.judges
      .filter((j) => printedJudges.has(j.id))
      .map((j) => ({ id: j.id, name: j.name, role: j.role })),
    chiefs: setup.judges
      .filter((j) => j.role === 'chief' && j.eventIds.includes(event.id))
      .map((j) => ({ id: j.id, name: j.name })),
    sheets,
  };
}
