/**
 * Ranking latency benchmark: client round-trip time of RedisStore.top(0, 10) and
 * RedisStore.rankOf(random row) on one board of N rows, next to a bare PING measured in the same
 * run (the floor any Redis call pays). Starts its own throwaway redis-server.
 *
 *   npx tsx scripts/bench/ranking.ts [--size 100000] [--samples 2000]
 *   npx tsx scripts/bench/ranking.ts --sizes 100,1000,10000,100000,1000000 [--samples 2000]
 *
 * Prints one JSON line per size; with --sizes also a final summary line. The last line is JSON.
 */
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import type { BoardRow } from '../../shared/boards.ts';
import { boardMember } from '../../server/store/ranking.ts';
import { CompetitionKeys } from '../../server/store/redis/keys.ts';
import { RedisStore } from '../../server/store/redis/redisStore.ts';
import { startRedisServer } from '../../test/support/redis-server.ts';

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

interface SizeResult {
  size: number;
  samples: number;
  top10: Percentiles;
  rankOf: Percentiles;
  ping: Percentiles;
  ratios: { top10VsPing: number; rankOfVsPing: number };
}

const BOARD = 'bench|final|individual';
const FILL_BATCH = 5_000;
const WARMUP = 200;

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    sizes: { type: 'string' },
    samples: { type: 'string', default: '2000' },
  },
});
const sizes = (values.sizes ?? values.size).split(',').map((s) => positiveInt(s, '--size/--sizes'));
const samples = positiveInt(values.samples, '--samples');

const server = await startRedisServer();
const redis = new Redis(server.url);
const store = new RedisStore(redis);
try {
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const result = await measureSize(size);
    results.push(result);
    console.log(JSON.stringify(result));
  }
  if (values.sizes !== undefined) {
    console.log(
      JSON.stringify({
        summary: results.map((r) => ({
          size: r.size,
          top10p50: r.top10.p50,
          rankOfp50: r.rankOf.p50,
          pingp50: r.ping.p50,
        })),
        samples,
        medianAtMost1ms: results.every((r) => r.top10.p50 <= 1 && r.rankOf.p50 <= 1),
      }),
    );
  }
} finally {
  await store.close();
  await redis.quit();
  await server.stop();
  server.cleanup();
}

async function measureSize(size: number): Promise<SizeResult> {
  const competitionId = `bench-${size}`;
  const rowIds = await fillBoard(competitionId, size);
  const actual = await store.boardSize(competitionId, BOARD);
  if (actual !== size) throw new Error(`board has ${actual} rows, expected ${size}`);

  const top: number[] = [];
  const rank: number[] = [];
  const ping: number[] = [];
  for (let i = 0; i < WARMUP + samples; i++) {
    const rowId = rowIds[Math.floor(Math.random() * rowIds.length)] as string;
    const tTop = await timed(() => store.top(competitionId, BOARD, 0, 10));
    const tRank = await timed(() => store.rankOf(competitionId, BOARD, rowId));
    const tPing = await timed(() => redis.ping());
    if (i >= WARMUP) {
      top.push(tTop);
      rank.push(tRank);
      ping.push(tPing);
    }
  }
  await store.deleteCompetition(competitionId);
  const result = { top10: percentiles(top), rankOf: percentiles(rank), ping: percentiles(ping) };
  return {
    size,
    samples,
    ...result,
    ratios: {
      top10VsPing: round(result.top10.p50 / result.ping.p50),
      rankOfVsPing: round(result.rankOf.p50 / result.ping.p50),
    },
  };
}

/**
 * Write N rows straight into the board's keys (the layout RedisStore uses), pipelined. Totals are
 * 2-decimal numbers around 70 so many rows tie exactly; the rank key puts higher totals first.
 */
async function fillBoard(competitionId: string, size: number): Promise<string[]> {
  const keys = new CompetitionKeys(competitionId);
  const rowIds: string[] = [];
  for (let start = 0; start < size; start += FILL_BATCH) {
    const pipeline = redis.pipeline();
    const members: string[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(size, start + FILL_BATCH); i++) {
      const id = `c${String(i).padStart(7, '0')}`;
      const hundredths = Math.max(0, Math.min(10_000, Math.round(7_000 + gaussian() * 1_000)));
      const rankKey = `A${String(10_000 - hundredths).padStart(5, '0')}`;
      const row: BoardRow = {
        id,
        total: (hundredths / 100).toFixed(2),
        complete: true,
        outcome: 'ok',
        rankKey,
      };
      members.push('0', boardMember(rankKey, id));
      rows.push(id, JSON.stringify(row));
      rowIds.push(id);
    }
    pipeline.zadd(keys.board(BOARD), ...members);
    pipeline.hset(keys.rows(BOARD), ...rows);
    pipeline.sadd(keys.boards, BOARD);
    await pipeline.exec();
  }
  return rowIds;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentiles(ms: number[]): Percentiles {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return n;
}
