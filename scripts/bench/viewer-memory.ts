/**
 * bench:viewer-memory — what one connected spectator costs a Podium process in memory, and in
 * which objects. Starts Podium in this process on a throwaway Redis with the benchmark
 * competition, connects N lean viewers (websocket, subscribed to one board) from a child process,
 * and compares heap and RSS before and after (after a full GC). With --snapshot <file> it also
 * writes a heap snapshot and prints the object kinds whose count grew by at least N (per-viewer
 * objects), with their bytes per viewer.
 *   npm run bench:viewer-memory -- --viewers 2000 [--snapshot /tmp/viewers.heapsnapshot]
 * Needs --expose-gc (the npm script passes it). Last stdout line: one JSON object.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { startRedisServer } from '../../test/support/redis-server.ts';
import { startTestPodium } from '../../test/support/podium-server.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { seedCompetition } from './lib/podium-seed.ts';

const COMPETITION = 'bench';
const BOARD = 'e1|r1|individual';

interface Counted {
  count: number;
  bytes: number;
}

async function main(): Promise<void> {
  const values = readOptions({ viewers: { type: 'string' }, snapshot: { type: 'string' } });
  const viewers = Math.round(numberOption(values, 'viewers', 2000));
  const snapshot = typeof values.snapshot === 'string' ? values.snapshot : undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:viewer-memory)');
  const redis = await startRedisServer();
  const podium = await startTestPodium({ redisUrl: redis.url });
  const child = fork(fileURLToPath(new URL('./viewer-memory-client.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await seedCompetition(redis.url, COMPETITION, 50, 5);
    const settle = async (): Promise<NodeJS.MemoryUsage> => {
      await new Promise((r) => setTimeout(r, 1000));
      gc();
      gc();
      return process.memoryUsage();
    };
    // A few viewers first so that one-off allocations (code, caches) are not counted per viewer.
    await connect(child, podium.url, 50);
    const before = await settle();
    const kindsBefore = snapshot ? countKinds(snapshotAt(`${snapshot}.before`)) : undefined;
    await connect(child, podium.url, viewers);
    const after = await settle();
    const per = (k: keyof NodeJS.MemoryUsage): number =>
      Math.round(((after[k] - before[k]) / viewers / 1024) * 100) / 100;
    const result: Record<string, unknown> = {
      bench: 'viewer-memory',
      viewers,
      kbPerViewer: { rss: per('rss'), heapUsed: per('heapUsed'), external: per('external') },
    };
    if (snapshot && kindsBefore) {
      const grown = diffKinds(kindsBefore, countKinds(snapshotAt(snapshot)), viewers);
      result.perViewerObjects = grown;
      for (const g of grown.slice(0, 40))
        log(`${g.bytesPerViewer.toFixed(0).padStart(6)} B  ×${g.perViewer}  ${g.kind}`);
    }
    console.log(JSON.stringify(result));
  } finally {
    child.kill();
    await podium.stop();
    await redis.stop();
    redis.cleanup();
  }
}

function connect(child: ReturnType<typeof fork>, base: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string; error?: string }): void => {
      if (m.type !== 'connected') return;
      child.off('message', onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve();
    };
    child.on('message', onMessage);
    child.send({ type: 'connect', base, count, competitionId: COMPETITION, board: BOARD });
  });
}

function snapshotAt(file: string): string {
  writeHeapSnapshot(file);
  return file;
}

/** Self size and count of every object kind (type + constructor name) in a heap snapshot. */
function countKinds(file: string): Map<string, Counted> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const kinds = new Map<string, Counted>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt] ?? 0] ?? '?';
    const name =
      type === 'string' || type === 'concatenated string'
        ? ''
        : (snap.strings[snap.nodes[i + nameAt] ?? 0] ?? '');
    const kind = `${type}:${name.slice(0, 60)}`;
    const k = kinds.get(kind) ?? { count: 0, bytes: 0 };
    k.count += 1;
    k.bytes += snap.nodes[i + sizeAt] ?? 0;
    kinds.set(kind, k);
  }
  return kinds;
}

function diffKinds(
  before: Map<string, Counted>,
  after: Map<string, Counted>,
  viewers: number,
): Array<{ kind: string; perViewer: number; bytesPerViewer: number }> {
  const out: Array<{ kind: string; perViewer: number; bytesPerViewer: number }> = [];
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    const bytesPerViewer = (a.bytes - b.bytes) / viewers;
    if (bytesPerViewer < 8) continue;
    out.push({ kind, perViewer: Math.round(((a.count - b.count) / viewers) * 100) / 100, bytesPerViewer });
  }
  return out.sort((x, y) => y.bytesPerViewer - x.bytesPerViewer);
}

await main();
