/**
 * The insight read (issue #16): what it takes for one contestant on one board, and why their rank
 * is what it is — computed on request from the board exactly as the caller sees it
 * (ContestService.boardSnapshot applies freeze and embargo), so a frozen board's forecast uses
 * only the frozen rows and never the live sheet. Nothing here runs on the live fan-out's path.
 */
import { parseBoardKey } from '../../shared/boards.ts';
import type { InsightAnswer, GoalInsight } from '../../shared/insight/answer.ts';
import { sheetBreakdown, tieLines } from '../../shared/insight/breakdown.ts';
import { forecastGoal, goalsOf, type TotalRange } from '../../shared/insight/forecast.ts';
import { markForTarget, openSlots, settledTieBreak, sheetRange } from '../../shared/insight/sheetForecast.ts';
import { emptySheet, type Competition, type Sheet } from '../../shared/model.ts';
import type { Store } from '../store/types.ts';
import { PodiumError } from './errors.ts';
import { markingJudgeIds } from './officialOps.ts';
import { OVERALL } from './projection.ts';
import { visibleBoard, type BoardReader } from './results.ts';

export interface InsightQuery {
  board: string;
  contestantId: string;
  /** A qualification line (rank) to forecast too; null for none. */
  line: number | null;
}

const NO_RANGE: TotalRange = { lowest: null, highest: null };

export async function insightFor(
  reader: BoardReader,
  sheets: Pick<Store, 'getSheet'>,
  setup: Competition,
  query: InsightQuery,
  audience: 'public' | 'staff',
): Promise<InsightAnswer> {
  const ref = parseBoardKey(query.board);
  const event = ref === null ? undefined : setup.events.find((e) => e.id === ref.eventId);
  if (ref === null || event === undefined) throw new PodiumError('not_found', `no board ${query.board}`);
  const control = await reader.getControl(setup.id);
  const embargoed = audience === 'public' && control.embargoed.includes(event.id);
  const base = {
    ok: true as const,
    competitionId: setup.id,
    board: query.board,
    contestantId: query.contestantId,
  };
  if (embargoed)
    return {
      ...base,
      frozen: false,
      embargoed,
      row: null,
      range: NO_RANGE,
      goals: [],
      sheet: null,
      ties: [],
    };
  const { snapshot, rows } = await visibleBoard(reader, setup.id, query.board, audience);
  const mine = rows.find((r) => r.id === query.contestantId);
  const isContestant = setup.contestants.some((c) => c.id === query.contestantId && c.eventId === event.id);
  if (mine === undefined && !(ref.scope === 'individual' && isContestant))
    throw new PodiumError('not_found', `${query.contestantId} is not on board ${query.board}`);

  // The live sheet only when the caller sees the live board: a frozen view must not leak it.
  const perSheet = ref.scope === 'individual' && ref.roundId !== OVERALL && !snapshot.frozen && isContestant;
  const sheet: Sheet | null = perSheet
    ? (
        await sheets.getSheet(setup.id, {
          eventId: event.id,
          roundId: ref.roundId,
          contestantId: query.contestantId,
        })
      ).value
    : null;
  // The judges this sheet waits for (its venue's panel; a chief only when on the panel or marking).
  const judges = markingJudgeIds(
    setup,
    { eventId: event.id, contestantId: query.contestantId },
    sheet ?? undefined,
  );
  const blind = event.scoring.blind;
  const allMarked = sheet !== null && judges.length > 0 && openSlots(event, judges, sheet).length === 0;
  // Under blind judging the marks (and what the last judges would need) stay hidden until all are in.
  const marksPublic = audience === 'staff' || !blind || allMarked;
  // Hidden marks must not show through the range either: then only the rule's own bounds count.
  const range = sheet === null ? NO_RANGE : sheetRange(event, judges, marksPublic ? sheet : emptySheet());
  // Own tie-break scores count only when settled and shown (else: the threshold holds whatever they are).
  const settled = sheet !== null && marksPublic ? settledTieBreak(event, judges, sheet) : null;
  const goals = goalsOf(event.scoring, query.line).map((goal): GoalInsight => {
    const forecast = forecastGoal(event.scoring, rows, query.contestantId, goal, range, settled);
    const mark =
      sheet !== null && marksPublic && forecast.total !== null && forecast.status === 'reachable'
        ? markForTarget(event, judges, sheet, forecast.total)
        : null;
    return { ...forecast, mark };
  });
  return {
    ...base,
    frozen: snapshot.frozen,
    embargoed,
    row:
      mine === undefined
        ? null
        : { total: mine.total, rank: mine.rank, complete: mine.complete, outcome: mine.outcome },
    range,
    goals,
    sheet: sheet === null ? null : sheetBreakdown(event, judges, sheet, marksPublic),
    ties: tieLines(event, rows, query.contestantId),
  };
}
