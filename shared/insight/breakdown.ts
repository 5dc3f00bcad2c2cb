/**
 * "Why this rank": a sheet taken apart (each criterion's score, each judge's marks with the ones a
 * trimmed mean dropped, measured values, deductions) and, for rows tied on total, which tie-break
 * decided and by how much. Pure; the caller decides whether the marks may be shown (blind rules).
 */
import type { RankedRow } from '../boards.ts';
import { canonical, compare, parse } from '../decimal.ts';
import type { ContestEvent, Sheet } from '../model.ts';
import { computeSheet } from '../scoring/sheet.ts';
import { rankKeyParts } from './rankKeyParts.ts';

export interface MarkLine {
  judgeId: string;
  mark: string;
  /** Left out by the trimmed mean (one of the k highest or k lowest). */
  dropped: boolean;
}

export interface CriterionLine {
  criterionId: string;
  weight: string;
  /** The aggregated score, rounded like the total; null when nothing is in yet. */
  score: string | null;
  /** Judged: each judge's mark, when the marks may be shown; null when hidden. */
  marks: MarkLine[] | null;
  /** Measured: the value entered (its points are `score`). */
  measured: string | null;
}

export interface SheetBreakdown {
  total: string;
  complete: boolean;
  criteria: CriterionLine[];
  deductions: Array<{ points: string; reason: string }>;
}

/**
 * Which marks a trimmed mean leaves out: the k lowest and k highest (equal marks: the judge listed
 * first counts as lower), only when there are at least 2k+1 marks, as aggregateMarks does.
 */
export function droppedMarks(
  trim: number,
  marks: ReadonlyArray<{ judgeId: string; mark: string }>,
): Set<string> {
  if (marks.length < 2 * trim + 1) return new Set();
  const sorted = marks
    .map((m, i) => ({ ...m, i }))
    .sort((a, b) => compare(parse(a.mark), parse(b.mark)) || a.i - b.i);
  return new Set([...sorted.slice(0, trim), ...sorted.slice(sorted.length - trim)].map((m) => m.judgeId));
}

/**
 * A sheet taken apart; `showMarks` false hides each judge's marks and the judged criteria's scores
 * (a blind sheet not fully marked), leaving the total, measured values and deductions.
 */
export function sheetBreakdown(
  event: ContestEvent,
  judgeIds: readonly string[],
  sheet: Sheet,
  showMarks: boolean,
): SheetBreakdown {
  const result = computeSheet(event, judgeIds, sheet);
  const aggregation = event.scoring.aggregation;
  const criteria = event.criteria.map((c): CriterionLine => {
    const score = result.criteria[c.id] ?? null;
    if (c.kind === 'measured') {
      const value = Object.hasOwn(sheet.measured, c.id) ? (sheet.measured[c.id] ?? null) : null;
      return { criterionId: c.id, weight: c.weight, score, marks: null, measured: value };
    }
    const given = judgeIds.flatMap((judgeId) => {
      const mark = Object.hasOwn(sheet.marks, judgeId) ? sheet.marks[judgeId]?.[c.id] : undefined;
      return mark === undefined ? [] : [{ judgeId, mark }];
    });
    const dropped =
      aggregation.kind === 'trimmed' ? droppedMarks(aggregation.trim, given) : new Set<string>();
    const marks = showMarks ? given.map((m) => ({ ...m, dropped: dropped.has(m.judgeId) })) : null;
    // A blind sheet not fully marked: a criterion's score could give a single judge's mark away.
    return { criterionId: c.id, weight: c.weight, score: showMarks ? score : null, marks, measured: null };
  });
  return {
    total: result.total,
    complete: result.complete,
    criteria,
    deductions: sheet.deductions.map((d) => ({ points: d.points, reason: d.reason })),
  };
}

export type TieDecider =
  | { kind: 'criterion'; criterionId: string; by: string }
  | { kind: 'finish'; byMs: number }
  | { kind: 'missing'; criterionId: string | null };

export interface TieLine {
  rivalId: string;
  /** True when the contestant ranks ahead of the rival. */
  ahead: boolean;
  /** What separated them; null when they share the rank. */
  decidedBy: TieDecider | null;
}

/**
 * For each row with the same total as the contestant: who is ahead and which tie-break decided, by
 * how much ("ahead of H012 on 操作规范 by 0.25"). Read from the public rank keys only.
 */
export function tieLines(event: ContestEvent, rows: readonly RankedRow[], contestantId: string): TieLine[] {
  const rule = event.scoring;
  const mine = rows.find((r) => r.id === contestantId);
  if (mine === undefined || mine.outcome !== 'ok') return [];
  const me = rankKeyParts(rule, mine.rankKey);
  return rows
    .filter((r) => r.id !== contestantId && r.outcome === 'ok' && r.total === mine.total)
    .map((rival): TieLine => {
      const them = rankKeyParts(rule, rival.rankKey);
      const ahead = mine.rankKey < rival.rankKey;
      if (mine.rankKey === rival.rankKey) return { rivalId: rival.id, ahead: false, decidedBy: null };
      for (const [i, criterionId] of rule.tieBreak.criteria.entries()) {
        const a = me.tieBreak[i] ?? null;
        const b = them.tieBreak[i] ?? null;
        if (a === b) continue;
        if (a === null || b === null)
          return { rivalId: rival.id, ahead, decidedBy: { kind: 'missing', criterionId } };
        const by = canonical(parse(a).minus(parse(b)).abs());
        if (by !== '0')
          return { rivalId: rival.id, ahead, decidedBy: { kind: 'criterion', criterionId, by } };
      }
      if (me.finishedAt === null || them.finishedAt === null)
        return { rivalId: rival.id, ahead, decidedBy: { kind: 'missing', criterionId: null } };
      return {
        rivalId: rival.id,
        ahead,
        decidedBy: { kind: 'finish', byMs: Math.abs(me.finishedAt - them.finishedAt) },
      };
    });
}
