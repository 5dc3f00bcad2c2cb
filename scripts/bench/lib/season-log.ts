/**
 * A season's embedded-store log written straight through the store's own appender (LogAppender),
 * as the store writes it for a mark: one sheet of up to 5 judges' marks, two board rows, the log
 * entry, the result. Used by bench:embedded-start and the compaction fault test.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';
import {
  EmbeddedStore,
  LOG_FILE_NAME,
  type LogRecord,
} from '../../../server/store/embedded/embeddedStore.ts';
import { LogAppender } from '../../../server/store/embedded/logFile.ts';

const DAY_MS = 24 * 3600 * 1000;
const SEASON_DAYS = 180;
const CONTESTANTS = 2000;
const JUDGES = 5;
const BATCH = 20_000;

/** The commit the store writes for judge `j`'s marks on contestant `k` (the j+1 judges' marks so far on the sheet). */
function markRecord(c: string, i: number, ts: number): LogRecord {
  const k = i % CONTESTANTS;
  const j = Math.floor(i / CONTESTANTS) % JUDGES;
  const contestantId = `c-${String(k).padStart(4, '0')}`;
  const marks: Record<string, Record<string, string>> = {};
  for (let judge = 0; judge <= j; judge++) {
    marks[`j${judge}`] = {
      appearance: String(10 + ((k + judge) % 20)),
      forming: String(5 + (k % 10)),
      safety: '6',
    };
  }
  const total = String(30 + (k % 37) + j).padStart(6, '0');
  const opId = `bench-${c}-${i}`;
  const key = { eventId: 'welding', roundId: 'prelim', contestantId };
  const payload = { competitionId: c, ...key, opId, marks: marks[`j${j}`] };
  return {
    t: 'commit',
    c,
    ts,
    commit: {
      opId,
      sheets: [{ key, sheet: { marks, measured: {}, deductions: [], outcome: 'ok', locked: false } }],
      boards: [
        {
          board: 'welding|prelim|individual',
          rowId: contestantId,
          row: { id: contestantId, total, complete: j === JUDGES - 1, outcome: 'ok', rankKey: `a${total}` },
        },
        {
          board: 'welding|overall|individual',
          rowId: contestantId,
          row: { id: contestantId, total, complete: false, outcome: 'ok', rankKey: `a${total}` },
        },
      ],
      entry: { at: ts, actor: `judge:j${j}`, opId, type: 'marks.submit', payload },
      result: { sheet: { ...key, total, complete: j === JUDGES - 1, outcome: 'ok', locked: false } },
    },
  };
}

/**
 * Write a season's log into a new embedded store folder `dir` through the store's own appender:
 * `entries` commits over `competitions` competitions (a demo set-up each, then marks), time-stamped
 * over the last 180 days.
 */
export async function writeSeasonLog(
  dir: string,
  entries: number,
  competitions: number,
  progress: (message: string) => void = () => undefined,
): Promise<void> {
  await (await EmbeddedStore.open(dir, { logger: { warn: progress, info: progress } })).close();
  const path = join(dir, LOG_FILE_NAME);
  const appender = await LogAppender.open(path, (await stat(path)).size);
  const now = Date.now();
  const perCompetition = Math.ceil(entries / competitions);
  let written = 0;
  let pending: Array<Promise<void>> = [];
  for (let n = 0; n < competitions && written < entries; n++) {
    const c = `season-${n + 1}`;
    for (let i = 0; i < perCompetition && written < entries; i++) {
      const ts = now - SEASON_DAYS * DAY_MS + Math.floor((written / entries) * SEASON_DAYS * DAY_MS);
      const record: LogRecord =
        i === 0
          ? {
              t: 'commit',
              c,
              ts,
              commit: {
                opId: `setup-${c}`,
                sheets: [],
                boards: [],
                setup: demoCompetition({ competitionId: c }),
                entry: {
                  at: ts,
                  actor: 'organiser:bench',
                  opId: `setup-${c}`,
                  type: 'setup.put',
                  payload: {},
                },
                result: null,
              },
            }
          : markRecord(c, i, ts);
      pending.push(appender.append(record));
      written += 1;
      if (pending.length === BATCH) {
        await Promise.all(pending);
        pending = [];
        if (written % 200_000 === 0) progress(`  written ${written} entries`);
      }
    }
  }
  await Promise.all(pending);
  await appender.close();
  progress(`written ${written} entries (${Math.round((await stat(path)).size / 1e6)} MB)`);
}
