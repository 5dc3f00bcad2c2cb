/**
 * Cost of "what it takes" (issue #16) on a 200-contestant board, per change, next to the work the
 * live path does per change measured in the same run:
 *
 *   forecastOne   one insight answer (3 goals with range, settled tie-break and needed mark) — what a
 *                 GET /insight costs in CPU, minus the store reads
 *   forecastAll   all 200 contestants' answers: what "forecast everyone on every change" would cost
 *   perChange     the live path's CPU per change: re-project the changed sheet (roundRow), rank the
 *                 board (rankRows, as every client does) and serialise the delta frame once
 *   consistency   judge consistency of the event (all sheets, 5 judges): what GET /judge-consistency
 *                 costs in CPU, minus reading the sheets
 *   rankHistory   the whole board's rank history replayed from an in-memory log of every mark
 *                 (setup, 5 judges × contestants submissions, then the changes): what a GET
 *                 /rank-history or /movers costs when the board moved since the last one (a server
 *                 keeps the replay until the board, set-up or control changes)
 *   timelines     of that, the pure ranking of the steps (shared/insight/rankHistory.ts)
 *   rankHistoryStep  what the kept replay costs per new log entry (one more mark): the server folds
 *                 only the entries since its last read
 *
 *   npx tsx scripts/bench/insight.ts [--contestants 200] [--changes 200]
 *
 * Prints one JSON line: medians in microseconds and the ratios to perChange. Podium computes
 * insight only on request (GET /api/competitions/:id/insight), never per change.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import type { BoardRow } from '../../shared/boards.ts';
import { forecastGoal, goalsOf } from '../../shared/insight/forecast.ts';
import { markForTarget, settledTieBreak, sheetRange } from '../../shared/insight/sheetForecast.ts';
import { competitionSchema, emptySheet, type Sheet } from '../../shared/model.ts';
import { rankRows } from '../../shared/scoring/index.ts';
import { roundRow } from '../../server/domain/projection.ts';
import { boardHistory, BoardHistoryFold } from '../../server/domain/rankHistory.ts';
import type { LogEntry, Store } from '../../server/store/types.ts';
import { judgeConsistency } from '../../shared/insight/judgeConsistency.ts';
import { biggestMovers, rankTimelines, type BoardStep } from '../../shared/insight/rankHistory.ts';

const { values } = parseArgs({
  options: { contestants: { type: 'string', default: '200' }, changes: { type: 'string', default: '200' } },
});
const N = Number(values.contestants);
const CHANGES = Number(values.changes);
const JUDGES = ['j1', 'j2', 'j3', 'j4', 'j5'];

const setup = competitionSchema.parse({
  id: 'bench',
  name: 'bench',
  events: [
    {
      id: 'weld',
      name: 'weld',
      criteria: [
        { id: 'quality', label: 'q', max: 50, step: 0.5, weight: '0.6' },
        { id: 'safety', label: 's', max: 30, step: 0.5 },
        { id: 'speed', label: 'v', max: 20, step: 0.25 },
      ],
      scoring: {
        aggregation: { kind: 'trimmed', trim: 1 },
        decimals: 2,
        tieBreak: { criteria: ['safety'] },
        medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
      },
      rounds: [{ id: 'r1', name: 'r1', kind: 'final', mode: 'onsite' }],
    },
  ],
  contestants: Array.from({ length: N }, (_, i) => ({
    id: `c${i}`,
    eventId: 'weld',
    bib: `A${i}`,
    name: `c${i}`,
    organisation: 'o',
    region: 'r',
  })),
  judges: JUDGES.map((id) => ({ id, name: id, role: 'judge', eventIds: ['weld'] })),
});
const event = setup.events[0]!;
const half = (x: number): string => String(Math.round(x * 2) / 2);
const sheets = new Map<string, Sheet>();
for (let i = 0; i < N; i++) {
  const sheet = emptySheet();
  // The last judge has not marked speed on every tenth sheet (a contestant still on stage).
  JUDGES.forEach((j, k) => {
    const marks: Record<string, string> = {
      quality: half(20 + ((i * 7 + k) % 29)),
      safety: half(10 + ((i * 3 + k) % 19)),
    };
    if (!(i % 10 === 0 && k === JUDGES.length - 1)) marks.speed = half(5 + ((i + k) % 14));
    sheet.marks[j] = marks;
  });
  sheets.set(`c${i}`, sheet);
}
let rows: BoardRow[] = [...sheets].map(([id, s]) => roundRow(setup, event, id, s));

function answer(id: string): unknown {
  const sheet = sheets.get(id)!;
  const ranked = rankRows(rows);
  const range = sheetRange(event, JUDGES, sheet);
  const settled = settledTieBreak(event, JUDGES, sheet);
  return goalsOf(event.scoring, 8).map((goal) => {
    const f = forecastGoal(event.scoring, ranked, id, goal, range, settled);
    const mark =
      f.total !== null && f.status === 'reachable' ? markForTarget(event, JUDGES, sheet, f.total) : null;
    return { ...f, mark };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
const micros = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1000;

const perChange: number[] = [];
const forecastOne: number[] = [];
const forecastAll: number[] = [];
for (let c = 0; c < CHANGES; c++) {
  const id = `c${(c * 37) % N}`;
  const sheet = sheets.get(id)!;
  sheet.marks.j1 = { ...sheet.marks.j1, quality: half(20 + ((c * 11) % 29)) };

  let t = process.hrtime.bigint();
  const row = roundRow(setup, event, id, sheet);
  rows = rows.map((r) => (r.id === id ? row : r));
  const ranked = rankRows(rows);
  JSON.stringify({ board: 'weld|r1|individual', version: c, rows: [row], top: ranked[0]?.id });
  perChange.push(micros(t));

  t = process.hrtime.bigint();
  answer(id);
  forecastOne.push(micros(t));

  if (c % 10 === 0) {
    t = process.hrtime.bigint();
    for (const other of sheets.keys()) answer(other);
    forecastAll.push(micros(t));
  }
}

// Judge consistency over the event's sheets, as the read computes it.
const consistency: number[] = [];
const consistencySheets = [...sheets].map(([contestantId, sheet]) => ({
  roundId: 'r1',
  contestantId,
  sheet,
  judges: JUDGES,
}));
for (let run = 0; run < 21; run++) {
  const t = process.hrtime.bigint();
  judgeConsistency(event, consistencySheets, JUDGES);
  consistency.push(micros(t));
}

// Rank history: the log a contest of N contestants leaves (every judge's submission, then the changes).
const log: LogEntry[] = [];
const entry = (actor: string, type: string, payload: unknown): void => {
  log.push({
    id: `${log.length + 1}-0`,
    at: 1_764_400_000_000 + log.length * 1000,
    actor,
    opId: `op-entry-${log.length}`,
    type,
    payload,
  });
};
entry('organiser:admin', 'setup.put', { opId: 'op-setup-0001', competition: setup });
for (let i = 0; i < N; i++)
  JUDGES.forEach((j, k) => {
    const marks = {
      quality: half(20 + ((i * 7 + k) % 29)),
      safety: half(10 + ((i * 3 + k) % 19)),
      speed: half(5 + ((i + k) % 14)),
    };
    entry(`judge:${j}`, 'marks.submit', {
      opId: `mark-${i}-${k}-000`,
      competitionId: 'bench',
      eventId: 'weld',
      roundId: 'r1',
      contestantId: `c${i}`,
      marks,
    });
  });
for (let c = 0; c < CHANGES; c++)
  entry('judge:j1', 'marks.submit', {
    opId: `change-${c}-000`,
    competitionId: 'bench',
    eventId: 'weld',
    roundId: 'r1',
    contestantId: `c${(c * 37) % N}`,
    marks: { quality: half(20 + ((c * 11) % 29)) },
  });
const logStore: Pick<Store, 'readLog'> = {
  readLog: async (_id, after, limit) => {
    const from = after === undefined ? 0 : Number(after.split('-')[0]);
    return log.slice(from, from + limit);
  },
};
const coldEntries = log.length;
const rankHistory: number[] = [];
const timelines: number[] = [];
let points = 0;
let movers = 0;
for (let run = 0; run < 7; run++) {
  const t = process.hrtime.bigint();
  const history = await boardHistory(logStore, 'bench', 'weld|r1|individual', 'public');
  movers = biggestMovers(history.timelines, log.at(-1)!.at - 10 * 60_000, 3).length;
  rankHistory.push(micros(t));
  points = [...history.timelines.values()].reduce((n, p) => n + p.length, 0);
}
// Warm: the kept fold, one more mark per read.
const rankHistoryStep: number[] = [];
{
  const fold = new BoardHistoryFold('bench', 'weld|r1|individual', 'public');
  await fold.catchUp(logStore);
  for (let c = 0; c < CHANGES; c++) {
    entry('judge:j2', 'marks.submit', {
      opId: `more-${c}-0000`,
      competitionId: 'bench',
      eventId: 'weld',
      roundId: 'r1',
      contestantId: `c${(c * 53) % N}`,
      marks: { safety: half(10 + ((c * 5) % 19)) },
    });
    const t = process.hrtime.bigint();
    const h = await fold.catchUp(logStore);
    biggestMovers(h.timelines, log.at(-1)!.at - 10 * 60_000, 3);
    rankHistoryStep.push(micros(t));
  }
}
// The pure part alone: one step per submission, ranked.
const steps: BoardStep[] = [];
{
  const marks = new Map<string, Sheet>();
  for (const e of log.slice(1)) {
    const p = e.payload as { contestantId: string; marks: Record<string, string> };
    const judge = e.actor.slice('judge:'.length);
    const sheet = marks.get(p.contestantId) ?? emptySheet();
    const next = { ...sheet, marks: { ...sheet.marks, [judge]: { ...sheet.marks[judge], ...p.marks } } };
    marks.set(p.contestantId, next);
    steps.push({
      at: e.at,
      updates: [{ rowId: p.contestantId, row: roundRow(setup, event, p.contestantId, next) }],
    });
  }
}
for (let run = 0; run < 7; run++) {
  const t = process.hrtime.bigint();
  rankTimelines(steps);
  timelines.push(micros(t));
}

const result = {
  bench: 'insight',
  contestants: N,
  changes: CHANGES,
  judges: JUDGES.length,
  loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  medianMicros: {
    perChange: Math.round(median(perChange)),
    forecastOne: Math.round(median(forecastOne)),
    forecastAll: Math.round(median(forecastAll)),
    consistency: Math.round(median(consistency)),
    rankHistory: Math.round(median(rankHistory)),
    timelines: Math.round(median(timelines)),
    rankHistoryStep: Math.round(median(rankHistoryStep)),
  },
  rankHistoryLog: { entries: coldEntries, points, movers },
  ratioToPerChange: {
    forecastOne: Math.round((median(forecastOne) / median(perChange)) * 100) / 100,
    forecastAll: Math.round((median(forecastAll) / median(perChange)) * 100) / 100,
    consistency: Math.round((median(consistency) / median(perChange)) * 100) / 100,
    rankHistory: Math.round((median(rankHistory) / median(perChange)) * 100) / 100,
    rankHistoryStep: Math.round((median(rankHistoryStep) / median(perChange)) * 100) / 100,
  },
};
console.log(JSON.stringify(result));
