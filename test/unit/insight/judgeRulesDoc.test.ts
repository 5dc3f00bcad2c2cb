/**
 * The worked examples of docs/RULES.md, "Judge consistency" and "Rank over time": each
 * `json consistency-example` and `json rank-history-example` block is computed here with the same
 * pure functions the reads use, so the rule book cannot drift from Podium.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeConsistency } from '../../../shared/insight/judgeConsistency.ts';
import { biggestMovers, rankTimelines } from '../../../shared/insight/rankHistory.ts';
import type { Sheet } from '../../../shared/model.ts';
import { rankKey } from '../../../shared/scoring/index.ts';
import { judgeIds, makeEvent, makeSheet } from '../scoring/fixtures.ts';

const markdown = readFileSync(new URL('../../../docs/RULES.md', import.meta.url), 'utf8');
const blocks = (tag: string): unknown[] =>
  [...markdown.matchAll(new RegExp('```json ' + tag + '\\n([\\s\\S]*?)```', 'g'))].map((m) =>
    JSON.parse(m[1] ?? ''),
  );

interface ConsistencyExample {
  event: { criteria: Array<Record<string, unknown> & { id: string }>; scoring?: Record<string, unknown> };
  sheets: Array<Record<string, string[]>>;
  expect: Record<string, Record<string, unknown>>;
}

interface HistoryExample {
  changes: Array<[string, string]>;
  contestant: string;
  expect: Array<[number, string]>;
  since: number;
  movers: Array<[string, number, number]>;
}

describe('docs/RULES.md judge consistency and rank over time examples', () => {
  const consistency = blocks('consistency-example') as ConsistencyExample[];
  const history = blocks('rank-history-example') as HistoryExample[];

  it('the rule book has examples of both', () => {
    expect(consistency.length).toBeGreaterThan(0);
    expect(history.length).toBeGreaterThan(0);
  });

  it.each(consistency.map((e, i) => [i, e] as const))('consistency example %i', (_, example) => {
    const event = makeEvent(example.event.criteria, example.event.scoring ?? {});
    const judges = judgeIds(
      Math.max(...example.sheets.flatMap((s) => Object.values(s).map((m) => m.length))),
    );
    const sheets = example.sheets.map((marks, i) => {
      const byJudge: Sheet['marks'] = {};
      for (const [criterion, values] of Object.entries(marks))
        values.forEach((v, j) => {
          const judge = judges[j]!;
          byJudge[judge] = { ...byJudge[judge], [criterion]: v };
        });
      return { roundId: 'r1', contestantId: `c${i}`, sheet: makeSheet(byJudge), judges };
    });
    const lines = judgeConsistency(event, sheets, judges);
    for (const [judgeId, want] of Object.entries(example.expect))
      expect(lines.find((l) => l.judgeId === judgeId)).toMatchObject(want);
  });

  it.each(history.map((e, i) => [i, e] as const))('rank history example %i', (_, example) => {
    const scoring = makeEvent([{ id: 'a' }]).scoring;
    const steps = example.changes.map(([id, total], i) => ({
      at: i + 1,
      updates: [
        {
          rowId: id,
          row: {
            id,
            total,
            complete: true,
            outcome: 'ok' as const,
            rankKey: rankKey(scoring, { id, total, outcome: 'ok', tieBreak: [] }),
          },
        },
      ],
    }));
    const timelines = rankTimelines(steps);
    expect(timelines.get(example.contestant)?.map((p) => [p.rank, p.total])).toEqual(example.expect);
    expect(biggestMovers(timelines, example.since, 3).map((m) => [m.id, m.from, m.to])).toEqual(
      example.movers,
    );
  });
});
