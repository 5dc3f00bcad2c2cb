/** The answer of GET /api/competitions/:id/insight (docs/API.md, "Insight"): one contestant on one board. */
import type { SheetBreakdown, TieLine } from './breakdown.ts';
import type { GoalForecast, TotalRange } from './forecast.ts';
import type { MarkForecast } from './sheetForecast.ts';

export interface GoalInsight extends GoalForecast {
  /** The mark the remaining judges would each have to give (only when the rule allows showing it). */
  mark: MarkForecast | null;
}

export interface InsightAnswer {
  ok: true;
  competitionId: string;
  board: string;
  contestantId: string;
  /** The public sees a frozen board: the forecast is against the frozen rows and uses no sheet. */
  frozen: boolean;
  /** The public sees no rows of this event: nothing is forecast or taken apart. */
  embargoed: boolean;
  /** The contestant's row as the caller sees the board (null when not on it, or hidden). */
  row: { total: string; rank: number | null; complete: boolean; outcome: string } | null;
  /** Totals the contestant can still end on (null ends: not known, or not to be shown). */
  range: TotalRange;
  goals: GoalInsight[];
  /** The sheet taken apart (individual round boards, live view only). */
  sheet: SheetBreakdown | null;
  /** Rows tied on total with the contestant: who is ahead and what decided. */
  ties: TieLine[];
}
