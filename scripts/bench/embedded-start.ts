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
import { EmbeddedStore, LOG_FILE_NAME } from '../../server/store/embedded/embeddedStore.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { writeSeasonLog } from './lib/season-log.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUIET = { warn: (m: string) => log(m), info: (m: string) => log(m) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
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
    const started = performance.now();
    await writeSeasonLog(dir, entries, competitions, log);
    log(`generated ${entries} entries in ${Math.round(performance.now() - started)} ms`);
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
