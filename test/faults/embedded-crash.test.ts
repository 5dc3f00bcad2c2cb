/**
 * The embedded store under a crash: a child process writes marks through the real ContestService
 * on the embedded store and reports every acknowledged opId; we SIGKILL it mid-writes and reopen
 * its folder. Every acknowledged opId must be in the log exactly once and the state must equal
 * the rebuild. Then a torn tail (a crash during a write) must be cut off with a warning, and a
 * corrupt middle record must stop the store from opening — never be silently mis-read.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readWholeLog } from '../../scripts/chaos/verify.ts';
import { rebuild } from '../../server/domain/rebuild.ts';
import { EmbeddedStore } from '../../server/store/embedded/embeddedStore.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRITER = 'test/faults/support/embedded-writer.ts';
const COMPETITION = 'crash-test';
/** Acknowledged marks to wait for before the kill. */
const KILL_AFTER = 200;

/** Run the writer, SIGKILL it once `KILL_AFTER` marks are acknowledged; the acked opId → logId. */
async function writeAndKill(dir: string): Promise<Map<string, string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, COMPETITION], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked = new Map<string, string>();
  let buffered = '';
  let errors = '';
  child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the writer acknowledged only ${acked.size} marks`)),
      90_000,
    );
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, opId, logId] = line.split(' ');
        if (word === 'ack' && opId !== undefined && logId !== undefined) acked.set(opId, logId);
      }
      if (acked.size >= KILL_AFTER && child.signalCode === null) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the writer exited (code ${code}) before the kill:\n${errors}`));
    });
  });
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return acked;
}

/** Open the store, collecting its warnings. */
async function reopen(dir: string): Promise<{ store: EmbeddedStore; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await EmbeddedStore.open(dir, { logger: { warn: (m) => warnings.push(m) } });
  return { store, warnings };
}

describe('embedded store: SIGKILL during writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-crash-'));
  const logFile = join(dir, 'store.log');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let acked = new Map<string, string>();
  let cleanLength = 0;

  it('keeps every acknowledged mark exactly once, and the boards equal the rebuild', async () => {
    acked = await writeAndKill(dir);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);

    const { store } = await reopen(dir);
    try {
      const log = await readWholeLog(store, COMPETITION);
      const counts = new Map<string, number>();
      const idOf = new Map<string, string>();
      for (const entry of log) {
        counts.set(entry.opId, (counts.get(entry.opId) ?? 0) + 1);
        idOf.set(entry.opId, entry.id);
      }
      const missing = [...acked.keys()].filter((opId) => !counts.has(opId));
      const repeated = [...counts].filter(([, n]) => n > 1).map(([opId]) => opId);
      const movedIds = [...acked].filter(([opId, logId]) => idOf.get(opId) !== logId);
      expect({ missing, repeated, movedIds }).toEqual({ missing: [], repeated: [], movedIds: [] });

      const report = await rebuild(store, COMPETITION);
      expect(report.differences).toEqual([]);
      expect(report.rows).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    cleanLength = statSync(logFile).size;
  });

  it('cuts off a torn last record with a warning and keeps everything before it', async () => {
    expect(cleanLength).toBeGreaterThan(0);
    const entriesBefore = await withStore(
      dir,
      async (store) => (await readWholeLog(store, COMPETITION)).length,
    );
    // A crash during a write leaves the start of a record without its end.
    appendFileSync(logFile, '1a2b3c4d 240 {"t":"commit","c":"crash-test","ts":17');

    const { store, warnings } = await reopen(dir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/ended in an incomplete record \(\d+ bytes\).*never acknowledged.*cut off/);
      expect(await readWholeLog(store, COMPETITION)).toHaveLength(entriesBefore);
      expect((await rebuild(store, COMPETITION)).differences).toEqual([]);
    } finally {
      await store.close();
    }
    expect(statSync(logFile).size).toBe(cleanLength);
  });

  it('refuses to open a log whose middle record is damaged, and leaves the file alone', async () => {
    const original = readFileSync(logFile);
    const lines = original.toString('utf8').split('\n');
    const middle = Math.floor(lines.length / 2);
    // Change one digit inside the JSON of a middle record: its checksum no longer matches.
    lines[middle] = (lines[middle] ?? '').replace(/(\d)(?=[^\d]*$)/, (d) => String((Number(d) + 1) % 10));
    const damaged = Buffer.from(lines.join('\n'), 'utf8');
    expect(damaged.equals(original)).toBe(false);
    writeFileSync(logFile, damaged);

    await expect(EmbeddedStore.open(dir)).rejects.toThrow(
      new RegExp(`corrupt at line ${middle + 1} \\(byte \\d+: .*\\).*Refusing to start`),
    );
    expect(readFileSync(logFile).equals(damaged)).toBe(true);
  });
});

describe('embedded store: compaction after a SIGKILL during writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podium-crash-compact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compacts the crashed folder and keeps every acknowledged mark, its log id and the rebuild', async () => {
    const acked = await writeAndKill(dir);
    const quiet = { warn: () => undefined, info: () => undefined };
    const compacted = await EmbeddedStore.open(dir, { compactAboveBytes: 0, logger: quiet });
    const liveLog = await readWholeLog(compacted, COMPETITION);
    await compacted.close();

    // Reopened from the snapshot: the entries come back from archive/ with the same ids.
    const { store } = await reopen(dir);
    try {
      const log = await readWholeLog(store, COMPETITION);
      expect(log).toEqual(liveLog);
      const idOf = new Map(log.map((entry) => [entry.opId, entry.id]));
      const lost = [...acked].filter(([opId, logId]) => idOf.get(opId) !== logId);
      expect(lost).toEqual([]);
      expect((await rebuild(store, COMPETITION)).differences).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

async function withStore<T>(dir: string, use: (store: EmbeddedStore) => Promise<T>): Promise<T> {
  const { store } = await reopen(dir);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
