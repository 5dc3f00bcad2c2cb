/**
 * bench:restore — how long a restore takes (replay into the scratch space, verification, the atomic
 * swap) and what a failed one costs, on the embedded store and on a throwaway redis-server.
 *   npx tsx scripts/bench/restore.ts [--marks 2000] [--contestants 200]
 * A competition gets `marks` judge marks; its archive is then restored over it (replace), and the
 * same archive with a damaged last entry is restored too: that must fail and change nothing. The
 * last stdout line is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../test/support/redis-server.ts';
import type { ArchiveContent } from '../../server/domain/restore.ts';
import { ContestService } from '../../server/domain/service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embeddedStore.ts';
import { RedisStore } from '../../server/store/redis/redisStore.ts';
import type { LogEntry, Store } from '../../server/store/types.ts';
import { competitionSchema } from '../../shared/model.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { now } from './lib/clock.ts';
import { round2 } from './lib/histogram.ts';

const ID = 'bench-restore';
const JUDGES = ['j1', 'j2', 'j3'];

async function seed(service: ContestService, marks: number, contestants: number): Promise<void> {
  const competition = competitionSchema.parse({
    id: ID,
    name: 'Restore bench',
    events: [
      {
        id: 'e1',
        name: 'Event',
        criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: contestants }, (_, i) => ({
      id: `c${i}`,
      eventId: 'e1',
      bib: `A${i}`,
      name: `Contestant ${i}`,
      organisation: `Org ${i % 10}`,
      region: 'North',
    })),
    judges: JUDGES.map((id) => ({ id, name: id, role: 'judge', eventIds: ['e1'] })),
  });
  const organiser = { kind: 'organiser', id: 'admin' } as const;
  await service.execute(organiser, { name: 'setup.put', payload: { opId: 'bench-setup', competition } });
  await service.execute(organiser, {
    name: 'round.state',
    payload: { opId: 'bench-open', competitionId: ID, eventId: 'e1', roundId: 'r1', state: 'open' },
  });
  for (let i = 0; i < marks; i++) {
    const judgeId = JUDGES[i % JUDGES.length] ?? 'j1';
    await service.execute(
      { kind: 'judge', judgeId, competitionId: ID, role: 'judge' },
      {
        name: 'marks.submit',
        payload: {
          opId: `bench-mark-${i}`,
          competitionId: ID,
          eventId: 'e1',
          roundId: 'r1',
          contestantId: `c${i % contestants}`,
          marks: { q: String(((i * 7) % 200) / 2) },
        },
      },
    );
  }
}

async function archiveOf(store: Store): Promise<ArchiveContent> {
  const entries: LogEntry[] = [];
  for (;;) {
    const page = await store.readLog(ID, entries.at(-1)?.id, 1000);
    entries.push(...page);
    if (page.length < 1000) break;
  }
  return {
    setup: (await store.getSetup(ID)).value,
    control: (await store.getControl(ID)).value,
    log: entries,
  };
}

async function measure(store: Store, marks: number, contestants: number): Promise<Record<string, unknown>> {
  const service = new ContestService({ store });
  await seed(service, marks, contestants);
  const archive = await archiveOf(store);
  const started = now();
  const report = await service.restore(ID, true, archive);
  const restoreMs = now() - started;
  const before = JSON.stringify(await archiveOf(store));
  const last = archive.log.at(-1);
  const damaged = { ...archive, log: [...archive.log.slice(0, -1), { ...last, payload: { broken: true } }] };
  const failedAt = now();
  let failedCode = 'none';
  try {
    await service.restore(ID, true, damaged as ArchiveContent);
  } catch (err) {
    failedCode = (err as { code?: string }).code ?? 'error';
  }
  const failedMs = now() - failedAt;
  const unchanged = JSON.stringify(await archiveOf(store)) === before;
  return {
    entries: report.entries,
    restoreMs: round2(restoreMs),
    entriesPerSecond: Math.round((report.entries * 1000) / restoreMs),
    rebuildDifferences: report.verified.rebuildDifferences,
    failedRestoreMs: round2(failedMs),
    failedCode,
    unchangedAfterFailedRestore: unchanged,
  };
}

async function main(): Promise<void> {
  const values = readOptions({ marks: { type: 'string' }, contestants: { type: 'string' } });
  const marks = Math.round(numberOption(values, 'marks', 2000));
  const contestants = Math.round(numberOption(values, 'contestants', 200));
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-restore-'));
  const embedded = await EmbeddedStore.open(dir);
  let embeddedResult: Record<string, unknown>;
  try {
    embeddedResult = await measure(embedded, marks, contestants);
  } finally {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
  log(`embedded: ${JSON.stringify(embeddedResult)}`);
  const redis = await startRedisServer();
  let redisResult: Record<string, unknown>;
  try {
    const store = new RedisStore(redis.url);
    try {
      redisResult = await measure(store, marks, contestants);
    } finally {
      await store.close();
    }
  } finally {
    await redis.stop();
  }
  console.log(JSON.stringify({ marks, contestants, embedded: embeddedResult, redis: redisResult }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
