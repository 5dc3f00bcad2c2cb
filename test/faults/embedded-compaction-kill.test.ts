/**
 * The embedded store SIGKILLed while it compacts a 20,000-entry log, at the moment the parent sees
 * a step's file appear (the step-by-step simulated crashes are in
 * test/integration/store/compaction.test.ts): the folder must reopen with every board, sheet count
 * and log entry (same ids) of before, a repeated opId must still be a duplicate, and a later
 * compaction must finish cleanly.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSeasonLog } from '../../scripts/bench/lib/season-log.ts';
import { EmbeddedStore } from '../../server/store/embedded/embeddedStore.ts';
import type { Store } from '../../server/store/types.ts';
import { allBoards } from '../integration/domain/helpers.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPACTOR = 'test/faults/support/embedded-compactor.ts';
const ENTRIES = 20_000;
const COMPETITIONS = 10;
const QUIET = { warn: () => undefined, info: () => undefined };

/** Run the compactor on `dir`; SIGKILL it as soon as `path` (relative to `dir`) exists, when given. */
function runCompactor(dir: string, killWhenExists?: string): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', COMPACTOR, dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  const watch =
    killWhenExists === undefined
      ? undefined
      : setInterval(() => {
          if (existsSync(join(dir, killWhenExists))) child.kill('SIGKILL');
        }, 1);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      clearInterval(watch);
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`the compactor exited with ${code}:\n${errors}`));
    });
  });
}

async function wholeLog(store: Store, c: string): Promise<Array<{ id: string; opId: string }>> {
  const out: Array<{ id: string; opId: string }> = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(c, after, 5000);
    out.push(...page.map(({ id, opId }) => ({ id, opId })));
    if (page.length < 5000) return out;
    after = page.at(-1)?.id;
  }
}

/** Everything compared before and after: per competition its boards, sheet count and log ids. */
async function summary(dir: string): Promise<unknown> {
  const store = await EmbeddedStore.open(dir, { compactAboveBytes: Number.POSITIVE_INFINITY, logger: QUIET });
  try {
    const out: Record<string, unknown> = {};
    for (const c of await store.listCompetitions()) {
      out[c] = {
        boards: await allBoards(store, c),
        sheets: (await store.getSheets(c)).length,
        setup: (await store.getSetup(c)).version,
        log: await wholeLog(store, c),
      };
    }
    return out;
  } finally {
    await store.close();
  }
}

describe('embedded store: SIGKILL during compaction', () => {
  const root = mkdtempSync(join(tmpdir(), 'podium-compact-kill-'));
  const original = join(root, 'original');
  let before: unknown;
  let lastOp = { c: '', opId: '' };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  beforeAll(async () => {
    await writeSeasonLog(original, ENTRIES, COMPETITIONS);
    before = await summary(original);
    // The newest commit of the season is within the 7-day idempotency window.
    const logs = before as Record<string, { log: Array<{ id: string; opId: string }> }>;
    const seqOf = (c: string): number => Number(logs[c]?.log.at(-1)?.id.split('-')[0] ?? 0);
    const c = Object.keys(logs).reduce((a, b) => (seqOf(a) >= seqOf(b) ? a : b));
    const log = logs[c]?.log ?? [];
    lastOp = { c, opId: log.at(-1)?.opId ?? '' };
  }, 120_000);

  // The snapshot's temp file is being written for a while: that kill always lands mid-step. The
  // others land just after a rename, or — when the child wins the race — after the end.
  it.each(['store.snapshot.tmp', 'store.snapshot', 'archive', 'store.log.tmp'])(
    'reopens with the same boards, sheets and log ids when killed once %s appears',
    async (file) => {
      const dir = join(root, `killed-${file}`);
      cpSync(original, dir, { recursive: true });
      const { killed } = await runCompactor(dir, file);
      if (file === 'store.snapshot.tmp') expect(killed).toBe(true);
      expect(await summary(dir)).toEqual(before);

      const store = await EmbeddedStore.open(dir, { logger: QUIET });
      const repeated = await store.commit(lastOp.c, {
        opId: lastOp.opId,
        entry: { at: Date.now(), actor: 'judge:j0', opId: lastOp.opId, type: 'marks.submit', payload: {} },
        expect: [],
        sheets: [],
        boards: [],
        result: { repeated: true },
      });
      await store.close();
      expect(repeated.status).toBe('duplicate');

      // Whatever was left half-done, a compaction now completes and changes nothing visible.
      expect((await runCompactor(dir)).killed).toBe(false);
      expect(await summary(dir)).toEqual(before);
    },
  );
});
