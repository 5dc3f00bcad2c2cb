/** Pure read models built from the set-up, control state and sheets: stage, judge worklists, summaries, public views. */
import type { BoardRow, RankedRow } from '../../shared/boards.ts';
import { mul, parse, roundHalfUp, sum } from '../../shared/decimal.ts';
import type {
  JudgeSheetLine,
  PublicCompetition,
  RevealState,
  SheetSummary,
  StageState,
} from '../../shared/events.ts';
import type { Competition, ContestEvent, PerformanceStatus, Sheet } from '../../shared/model.ts';
import { rankRows } from '../../shared/scoring/index.ts';
import type { SheetKey } from '../store/types.ts';
import type { Freeze } from './control.ts';
import { markingJudgeIds } from './officialOps.ts';
import { sheetResult } from './projection.ts';
import { marksVisible, presentedSetup, type Draws } from './visibility.ts';

/** The acknowledgement summary of a sheet. */
export function sheetSummary(
  setup: Competition,
  event: ContestEvent,
  key: SheetKey,
  sheet: Sheet,
): SheetSummary {
  const result = sheetResult(setup, event, key.contestantId, sheet);
  return {
    ...key,
    total: result.total,
    complete: result.complete,
    outcome: sheet.outcome,
    locked: sheet.locked,
    markedBy: [...result.markedBy],
  };
}

/** One judge's weighted mark total on a sheet (judged criteria only), rounded like every total. */
export function judgeTotal(event: ContestEvent, marks: Record<string, string>): string {
  const terms = event.criteria.flatMap((c) => {
    const mark = Object.hasOwn(marks, c.id) ? marks[c.id] : undefined;
    return c.kind === 'judged' && mark !== undefined ? [mul(parse(mark), parse(c.weight))] : [];
  });
  return roundHalfUp(sum(terms), event.scoring.decimals);
}

/**
 * What a stage screen shows: every assigned judge with a marked flag; their totals only when
 * visibility.marksVisible allows.
 */
export function stageView(
  competitionId: string,
  setup: Competition,
  event: ContestEvent,
  roundId: string,
  contestantId: string | null,
  sheet: Sheet | null,
  venueId?: string,
): StageState {
  // Nobody on a venue's stage: that venue's panel (judges without a venue belong everywhere).
  const judgeIds = markingJudgeIds(setup, { eventId: event.id, contestantId }, sheet ?? undefined).filter(
    (id) =>
      contestantId !== null ||
      venueId === undefined ||
      [undefined, venueId].includes(setup.judges.find((j) => j.id === id)?.venueId),
  );
  const result =
    sheet === null || contestantId === null ? null : sheetResult(setup, event, contestantId, sheet);
  const markedBy = new Set(result?.markedBy ?? []);
  const reveal = marksVisible(event, judgeIds.length, markedBy.size);
  const hasAny =
    sheet !== null &&
    (Object.keys(sheet.marks).length > 0 || Object.keys(sheet.measured).length > 0 || sheet.outcome !== 'ok');
  return {
    competitionId,
    eventId: event.id,
    ...(venueId === undefined ? {} : { venueId }),
    roundId,
    contestantId,
    judges: setup.judges
      .filter((j) => judgeIds.includes(j.id))
      .map((j) => {
        const marks = sheet !== null && Object.hasOwn(sheet.marks, j.id) ? sheet.marks[j.id] : undefined;
        return {
          judgeId: j.id,
          name: j.name,
          marked: markedBy.has(j.id),
          total: reveal && marks !== undefined ? judgeTotal(event, marks) : null,
        };
      }),
    total: result !== null && hasAny ? result.total : null,
    complete: result?.complete ?? false,
  };
}

/**
 * A line of a judge's (or organiser's, judgeId null) worklist. Other judges' marks only when
 * visibility.marksVisible allows.
 */
export function judgeLine(
  setup: Competition,
  event: ContestEvent,
  key: SheetKey,
  sheet: Sheet,
  judgeId: string | null,
  onStage: boolean,
): JudgeSheetLine {
  const judgeIds = markingJudgeIds(setup, key, sheet);
  const result = sheetResult(setup, event, key.contestantId, sheet);
  const mine = judgeId !== null && Object.hasOwn(sheet.marks, judgeId) ? (sheet.marks[judgeId] ?? {}) : {};
  const done = judgeId === null ? result.complete : result.markedBy.includes(judgeId);
  let status: PerformanceStatus;
  if (sheet.outcome !== 'ok') status = sheet.outcome;
  else if (onStage) status = 'on_stage';
  else status = done ? 'marked' : 'waiting';
  const reveal = marksVisible(event, judgeIds.length, result.markedBy.length);
  const others = reveal
    ? Object.fromEntries(
        Object.entries(sheet.marks)
          .filter(([j]) => j !== judgeId)
          .map(([j, m]) => [j, { ...m }]),
      )
    : null;
  const line: JudgeSheetLine = { ...key, status, myMarks: { ...mine }, locked: sheet.locked, others };
  if (sheet.signed !== undefined) line.signed = true;
  // The chief judge enters measured values and deductions, so their tablet must show them.
  const chief = setup.judges.some((j) => j.id === judgeId && j.role === 'chief');
  if (chief)
    line.chief = { measured: { ...sheet.measured }, deductions: sheet.deductions.map((d) => ({ ...d })) };
  return line;
}

/**
 * Public facts of a competition: the set-up without anything private (judges reduced to name and
 * role; contestants of an anonymised event by drawn number until decoded, visibility.ts).
 */
export function publicCompetition(setup: Competition, draws: Draws): PublicCompetition {
  const shown = presentedSetup(setup, draws);
  return {
    id: setup.id,
    name: setup.name,
    events: setup.events,
    contestants: shown.contestants,
    teams: shown.teams,
    // Venues are public (the venue's screen and the spectators' venue filter name them).
    ...(setup.venues === undefined ? {} : { venues: setup.venues }),
    judges: setup.judges.map((j) => ({
      id: j.id,
      name: j.name,
      role: j.role,
      eventIds: [...j.eventIds],
      ...(j.venueId === undefined ? {} : { venueId: j.venueId }),
    })),
  };
}

function plain(row: RankedRow | BoardRow): BoardRow {
  return { id: row.id, total: row.total, complete: row.complete, outcome: row.outcome, rankKey: row.rankKey };
}

function sameResult(a: BoardRow, b: BoardRow): boolean {
  return (
    a.total === b.total && a.complete === b.complete && a.outcome === b.outcome && a.rankKey === b.rankKey
  );
}

/**
 * The public view of a frozen board: the rows as frozen, except the revealed contestants, which
 * show their live rows; re-ranked. Rows that appeared after the freeze stay hidden until revealed.
 */
export function frozenView(freeze: Freeze, board: string, live: readonly RankedRow[]): RankedRow[] {
  const frozen = freeze.frozenBoards[board] ?? [];
  const revealedIds = new Set(freeze.revealedIds ?? []);
  const revealed = live.filter((r) => revealedIds.has(r.id));
  return rankRows([...frozen.filter((r) => !revealedIds.has(r.id)).map(plain), ...revealed.map(plain)]);
}

/**
 * What the reveal ceremony still has to show on a frozen board (`view` is its `frozenView`):
 * shown rows whose live result differs, contestants scored since the freeze, and the next one to
 * reveal — first those hidden (worst first), then the lowest pending row of the view, like the
 * ICPC resolver. Each step is one visible change.
 */
export function revealPlan(
  freeze: Freeze,
  board: string,
  live: readonly RankedRow[],
  view: readonly RankedRow[] = frozenView(freeze, board, live),
): RevealState {
  const revealedIds = new Set(freeze.revealedIds ?? []);
  const frozenIds = new Set((freeze.frozenBoards[board] ?? []).map((r) => r.id));
  const liveById = new Map(live.map((r) => [r.id, r]));
  const pending = view
    .filter((r) => {
      if (revealedIds.has(r.id)) return false;
      const now = liveById.get(r.id);
      return now === undefined || !sameResult(now, r);
    })
    .map((r) => r.id);
  const hidden = live.filter((r) => !frozenIds.has(r.id) && !revealedIds.has(r.id)).map((r) => r.id);
  const next = hidden.at(-1) ?? pending.at(-1) ?? null;
  return { pending, hidden, next };
}
