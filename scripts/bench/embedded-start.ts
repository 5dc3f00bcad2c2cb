/**
 * bench:embedded-start — how long opening the embedded store takes with a long log, before and
 * after compaction, in the same run on the same data:
 *   npm run bench:embedded-start -- [--entries 1000000] [--runs 5] [--competitions 20]
 * 1. Writes a season's log straight through the store's own appender (LogAppender, the records
 *    the store writes for a mark: one sheet, two board rows, the log entry, the result), spread
 *    over the last 180 days like a season of contests.
 * 2. Opens it `runs` times without compaction (each open in a fresh Node process), then compacts
 *    once (`npm run compact`'s code path), then opens the compacted folder `runs` times and reads
 *    one archived entry (the first audit read after a start pays for reading archive/).
 * Progress goes to stderr; the last stdout line is the JSON result (medians in ms).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoCompetition } from '../../server/demo/demoCompetition.ts';
import { EmbeddedStore, LOG_FILE_NAME, type LogRecord } from '../../server/store/embedded/embeddedStore.ts';
import { LogAppender } from '../../server/store/embedded/logFile.ts';
import { log, numberOption, readOptions } from './lib/args.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DAY_MS = 24 * 3600 * 1000;
const SEASON_DAYS = 180;
const CONTESTANTS = 2000;
const JUDGES = 5;
const BATCH = 20_000;
const QUIET = { warn: (m: string) => log(m), info: (m: string) => log(m) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

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

async function generate(dir: string, entries: number, competitions: number): Promise<void> {
  const started = performance.now();
  await (await EmbeddedStore.open(dir, { logger: QUIET })).close();
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
        if (written % 200_000 === 0) log(`  written ${written} entries`);
      }
    }
  }
  await Promise.all(pending);
  await appender.close();
  const bytes = (await stat(path)).size;
  log(
    `generated ${written} entries (${Math.round(bytes / 1e6)} MB) in ${Math.round(performance.now() - started)} ms`,
  );
}

/** Run this script in a fresh Node process in child mode; its last stdout line is JSON. */
function child(args: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--max-old-space-size=16000', '--import', 'tsx', SCRIPT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last) as Record<string, number>);
      else reject(new Error(`child ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** Child mode: open the folder once, print how long it took. */
async function childMain(dir: string, mode: string): Promise<void> {
  const started = performance.now();
  const store = await EmbeddedStore.open(dir, {
    logger: QUIET,
    compactAboveBytes: mode === 'compact' ? 0 : Number.POSITIVE_INFINITY,
  });
  const openMs = performance.now() - started;
  const result: Record<string, number> = {
    openMs: Math.round(openMs),
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
  };
  if (mode === 'after') {
    const readStarted = performance.now();
    const first = await store.readLog('season-1', undefined, 1);
    if (first.length !== 1) throw new Error('the first archived entry was not found');
    result.firstArchivedReadMs = Math.round(performance.now() - readStarted);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const values = readOptions({
    entries: { type: 'string' },
    runs: { type: 'string' },
    competitions: { type: 'string' },
    'child-open': { type: 'string' },
    mode: { type: 'string' },
  });
  if (typeof values['child-open'] === 'string') return childMain(values['child-open'], String(values.mode));
  const entries = numberOption(values, 'entries', 1_000_000);
  const runs = numberOption(values, 'runs', 5);
  const competitions = numberOption(values, 'competitions', 20);
  const dir = await mkdtemp(join(tmpdir(), 'podium-bench-start-'));
  try {
    await generate(dir, entries, competitions);
    const logBytes = (await stat(join(dir, LOG_FILE_NAME))).size;
    const before: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { openMs = 0 } = await child(['--child-open', dir, '--mode', 'before']);
      log(`open before compaction #${r + 1}: ${openMs} ms`);
      before.push(openMs);
    }
    const compaction = await child(['--child-open', dir, '--mode', 'compact']);
    log(`open + compaction: ${compaction.openMs} ms`);
    const snapshotBytes = (await stat(join(dir, 'store.snapshot'))).size;
    const after: number[] = [];
    const firstReads: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { openMs = 0, firstArchivedReadMs = 0 } = await child(['--child-open', dir, '--mode', 'after']);
      log(`open after compaction #${r + 1}: ${openMs} ms (first archived read ${firstArchivedReadMs} ms)`);
      after.push(openMs);
      firstReads.push(firstArchivedReadMs);
    }
    const result = {
      entries,
      competitions,
      runs,
      logMB: Math.round(logBytes / 1e5) / 10,
      snapshotMB: Math.round(snapshotBytes / 1e5) / 10,
      openBeforeMs: median(before),
      openAfterMs: median(after),
      ratioAfterBefore: Math.round((median(after) / median(before)) * 1000) / 1000,
      compactionOpenMs: compaction.openMs,
      firstArchivedReadMs: median(firstReads),
      beforeRunsMs: before,
      afterRunsMs: after,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
