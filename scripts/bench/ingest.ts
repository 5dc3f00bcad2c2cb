/**
 * bench:ingest — acknowledged judge submissions per second, end to end (socket in → validation →
 * store → ack out) with many judge sockets in parallel, next to the raw Redis rate for equivalent
 * writes (pipelined HSET + ZADD + XADD per mark via ioredis) in the same run, on a throwaway
 * redis-server.
 *   npm run bench:ingest -- [--judges 60] [--duration 10] [--contestants 200]
 * Each judge keeps one mark in flight and stays under Podium's per-judge write limit (20/s), as a
 * tablet would; the report says when that pacing, not the server, was the limit.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startRedisServer } from '../../test/support/redis-server.ts';
import { log, numberOption, readOptions } from './lib/args.ts';
import { now, sleep } from './lib/clock.ts';
import { LatencyHistogram, round2 } from './lib/histogram.ts';
import {
  BENCH_CRITERION,
  BENCH_EVENT,
  BENCH_ROUND,
  seedCompetition,
  signInJudges,
} from './lib/podium-seed.ts';
import { sampleProcess } from './lib/proc.ts';
import { contestantId, MAX_MARK } from './lib/schedule.ts';
import { startPodiumProcesses } from './fanout/podium.ts';
import { io, type Socket } from 'socket.io-client';

/** Podium allows 20 writes per judge per second; stay just under it. */
const PER_JUDGE_INTERVAL_MS = 55;

interface Tally {
  ok: number;
  failed: Record<string, number>;
  latency: LatencyHistogram;
}

async function main(): Promise<void> {
  const values = readOptions({
    judges: { type: 'string' },
    duration: { type: 'string' },
    contestants: { type: 'string' },
  });
  const judges = Math.round(numberOption(values, 'judges', 60));
  const durationS = numberOption(values, 'duration', 10);
  const contestants = Math.round(numberOption(values, 'contestants', 200));
  const redis = await startRedisServer();
  try {
    const podium = await podiumIngest(redis.url, judges, contestants, durationS);
    const raw = await rawRedisIngest(redis.url, judges, contestants, durationS);
    const paceLimit = Math.round((judges * 1000) / PER_JUDGE_INTERVAL_MS);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        judges,
        durationS,
        podium: { ...podium, paceLimitPerS: paceLimit, limitedByPacing: podium.acksPerS >= 0.9 * paceLimit },
        rawRedis: raw,
        ratioToRawRedis: Math.round((podium.acksPerS / raw.marksPerS) * 10_000) / 10_000,
      }),
    );
  } finally {
    await redis.stop();
    redis.cleanup();
  }
}

/** Judges submit closed-loop over /judge for `durationS`; acknowledged marks per second. */
async function podiumIngest(redisUrl: string, judges: number, contestants: number, durationS: number) {
  const competitionId = `ingest-${Date.now().toString(36)}`;
  const codes = await seedCompetition(redisUrl, competitionId, contestants, judges);
  const server = await startPodiumProcesses(redisUrl, 1);
  const base = server.bases[0] ?? '';
  const proc = server.processes[0];
  if (!proc) throw new Error('no Podium process');
  const sockets: Socket[] = [];
  try {
    const tokens = await signInJudges(base, codes);
    for (const token of tokens) {
      sockets.push(io(`${base}/judge`, { transports: ['websocket'], auth: { token }, reconnection: false }));
    }
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve()))));
    log(`ingest: podium, ${judges} judges for ${durationS} s …`);
    const tally: Tally = { ok: 0, failed: {}, latency: new LatencyHistogram() };
    const cpu0 = sampleProcess(proc.pid).cpuMs;
    const started = now();
    const end = started + durationS * 1000;
    let value = 0;
    await Promise.all(
      sockets.map(async (socket, j) => {
        for (let k = 0; now() < end; k++) {
          const sent = now();
          const payload = {
            opId: randomUUID(),
            competitionId,
            eventId: BENCH_EVENT,
            roundId: BENCH_ROUND,
            contestantId: contestantId((k * judges + j) % contestants),
            marks: { [BENCH_CRITERION]: (value++ % MAX_MARK) + 1 },
          };
          const ack = (await socket.timeout(30_000).emitWithAck('cmd:marks.submit', payload)) as {
            ok: boolean;
            code?: string;
          };
          tally.latency.record(now() - sent);
          if (ack.ok) tally.ok++;
          else tally.failed[ack.code ?? '?'] = (tally.failed[ack.code ?? '?'] ?? 0) + 1;
          const rest = sent + PER_JUDGE_INTERVAL_MS - now();
          if (rest > 0) await sleep(rest);
        }
      }),
    );
    const elapsed = now() - started;
    const cpuMs = sampleProcess(proc.pid).cpuMs - cpu0;
    log(`  ${Math.round((tally.ok * 1000) / elapsed)} acknowledged marks/s`);
    return {
      acksPerS: Math.round((tally.ok * 1000) / elapsed),
      acked: tally.ok,
      failed: tally.failed,
      ackMs: {
        p50: round2(tally.latency.percentile(50)),
        p99: round2(tally.latency.percentile(99)),
        max: round2(tally.latency.max),
      },
      serverCpuPct: Math.round((cpuMs / elapsed) * 100),
      serverCpuUsPerAck: round2((cpuMs * 1000) / Math.max(1, tally.ok)),
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
}

/** The same number of writers, each writing a mark as pipelined HSET + ZADD + XADD. */
async function rawRedisIngest(redisUrl: string, writers: number, contestants: number, durationS: number) {
  log(`ingest: raw redis, ${writers} concurrent writers for ${durationS} s …`);
  const redis = new Redis(redisUrl);
  const prefix = `rawbench:${Date.now().toString(36)}`;
  let done = 0;
  const latency = new LatencyHistogram();
  const started = now();
  const end = started + durationS * 1000;
  try {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let k = 0; now() < end; k++) {
          const sent = now();
          const c = contestantId((k * writers + w) % contestants);
          const mark = String(k + 1);
          await redis
            .pipeline()
            .hset(`${prefix}:sheet:${c}`, `j${w}:${BENCH_CRITERION}`, mark)
            .zadd(`${prefix}:board`, k + 1, c)
            .xadd(`${prefix}:log`, '*', 'judge', `j${w}`, 'contestant', c, 'mark', mark)
            .exec();
          latency.record(now() - sent);
          done++;
        }
      }),
    );
  } finally {
    redis.disconnect();
  }
  const elapsed = now() - started;
  log(`  ${Math.round((done * 1000) / elapsed)} marks/s`);
  return {
    marksPerS: Math.round((done * 1000) / elapsed),
    commandsPerS: Math.round((done * 3 * 1000) / elapsed),
    writeMs: { p50: round2(latency.percentile(50)), p99: round2(latency.percentile(99)) },
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
