/**
 * The worked examples of docs/RULES.md, section "What it takes": each `json insight-example` block
 * is scored here with the same pure functions the insight route uses, so the rule book cannot drift.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BoardRow } from '../../../shared/boards.ts';
import { forecastGoal, goalsOf } from '../../../shared/insight/forecast.ts';
import { markForTarget, settledTieBreak, sheetRange } from '../../../shared/insight/sheetForecast.ts';
import type { ContestEvent, Sheet } from '../../../shared/model.ts';
import { computeSheet, rankKey, rankRows } from '../../../shared/scoring/index.ts';
import { judgeIds, makeEvent, makeSheet } from '../scoring/fixtures.ts';

interface Example {
  event: { criteria: Array<Record<string, unknown> & { id: string }>; scoring?: Record<string, unknown> };
  board: Record<string, { marks: Record<string, Array<string | null>> }>;
  contestant: string;
  sheet: { marks: Record<string, Array<string | null>> };
  line?: number;
  expect: Record<string, { status: string; total: string | null; tieAt: string | null; mark: string | null }>;
}

const markdown = readFileSync(new URL('../../../docs/RULES.md', import.meta.url), 'utf8');
const examples = [...markdown.matchAll(/```json insight-example\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1] ?? '') as Example,
);

function sheetOf(marks: Record<string, Array<string | null>>): Sheet {
  const byJudge: Sheet['marks'] = {};
  for (const [criterion, values] of Object.entries(marks))
    values.forEach((v, i) => {
      if (v !== null) (byJudge[`j${i + 1}`] ??= {})[criterion] = v;
    });
  return makeSheet(byJudge);
}

function rowOf(event: ContestEvent, judges: string[], id: string, sheet: Sheet): BoardRow {
  const result = computeSheet(event, judges, sheet);
  const tieBreak = event.scoring.tieBreak.criteria.map((c) => result.criteria[c] ?? null);
  return {
    id,
    total: result.total,
    complete: result.complete,
    outcome: 'ok',
    rankKey: rankKey(event.scoring, { id, total: result.total, outcome: 'ok', tieBreak }),
  };
}

describe('docs/RULES.md "What it takes" worked examples', () => {
  it('has the worked examples', () => expect(examples.length).toBeGreaterThanOrEqual(2));

  examples.forEach((example, n) => {
    it(`example ${n + 1}: Podium forecasts what the rule book says`, () => {
      const event = makeEvent(example.event.criteria, example.event.scoring ?? {});
      const judges = judgeIds(3);
      const rows = rankRows(
        Object.entries(example.board).map(([id, s]) => rowOf(event, judges, id, sheetOf(s.marks))),
      );
      const sheet = sheetOf(example.sheet.marks);
      const range = sheetRange(event, judges, sheet);
      const settled = settledTieBreak(event, judges, sheet);
      const got = Object.fromEntries(
        goalsOf(event.scoring, example.line ?? null).map((goal) => {
          const f = forecastGoal(event.scoring, rows, example.contestant, goal, range, settled);
          const mark = f.total === null ? null : markForTarget(event, judges, sheet, f.total);
          return [f.kind, { status: f.status, total: f.total, tieAt: f.tieAt, mark: mark?.mark ?? null }];
        }),
      );
      expect(got).toEqual(example.expect);
    });
  });
});
