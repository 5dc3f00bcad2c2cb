/**
 * npm run abuse — floods from one socket against a real Podium server process (issue #12).
 * While `--judges` honest judges mark over /judge (each every `--interval` ms, as tablets do), one
 * socket at a time sends `--frames` copies of one client event as fast as it can (a raw
 * WebSocket in its own process: scripts/bench/abuse/flooder.ts), for every kind of event on every
 * namespace. Measured in the same run: the honest judges' ack latency before any flood
 * (baseline), during each flood (+ `--settle` s) and after all of them, the server's RSS from
 * /proc, and whether the process lived. Progress on stderr; the last stdout line is the JSON.
 *   npm run abuse -- [--judges 20] [--frames 100000] [--baseline 10] [--interval 200] [--settle 2]
 *                    [--only <part of a flood's name>]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { io, type Socket } from 'socket.io-client';
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
import { spawnNode } from './lib/spawn.ts';
import type { FloodOrder, FloodResult } from './abuse/flooder.ts';
import { startPodiumProcesses } from './fanout/podium.ts';

const CONTESTANTS = 40;
const WARM_UP_S = 3;
const ADMIN_PASSWORD = 'benchmark-only-password';
const MB = 1024 * 1024;

type Caller = 'judge' | 'public' | 'organiser';

interface Flood {
  name: string;
  caller: Caller;
  event: string;
  args: (competitionId: string) => unknown[];
  withAck: boolean;
}

const BOARD = `${BENCH_EVENT}|${BENCH_ROUND}|individual`;
const sheets = () => [{ eventId: BENCH_EVENT, roundId: BENCH_ROUND }];
const board = (competitionId: string) => [{ competitionId, board: BOARD }];
const watch = (competitionId: string) => [{ competitionId }];

/** Every client event of every namespace, with and without an acknowledgement where it matters. */
const FLOODS: Flood[] = [
  { name: '/judge judge:sheets', caller: 'judge', event: 'judge:sheets', args: sheets, withAck: true },
  {
    name: '/judge judge:sheets (no ack)',
    caller: 'judge',
    event: 'judge:sheets',
    args: sheets,
    withAck: false,
  },
  { name: '/judge judge:whoami', caller: 'judge', event: 'judge:whoami', args: () => [], withAck: true },
  {
    name: '/judge presence:heartbeat',
    caller: 'judge',
    event: 'presence:heartbeat',
    args: () => [{ eventId: BENCH_EVENT }],
    withAck: false,
  },
  {
    name: '/judge cmd:marks.submit (invalid)',
    caller: 'judge',
    event: 'cmd:marks.submit',
    args: (competitionId) => [{ competitionId }],
    withAck: true,
  },
  { name: '/judge unknown event', caller: 'judge', event: 'no:such:event', args: () => [{}], withAck: true },
  { name: '/public board:subscribe', caller: 'public', event: 'board:subscribe', args: board, withAck: true },
  {
    name: '/public board:subscribe (no ack)',
    caller: 'public',
    event: 'board:subscribe',
    args: board,
    withAck: false,
  },
  {
    name: '/public competition:watch',
    caller: 'public',
    event: 'competition:watch',
    args: watch,
    withAck: true,
  },
  {
    name: '/public competition:list',
    caller: 'public',
    event: 'competition:list',
    args: () => [],
    withAck: true,
  },
  {
    name: '/public board:unsubscribe',
    caller: 'public',
    event: 'board:unsubscribe',
    args: board,
    withAck: false,
  },
  {
    name: '/public unknown event',
    caller: 'public',
    event: 'no:such:event',
    args: () => [{}],
    withAck: false,
  },
  {
    name: '/admin board:subscribe',
    caller: 'organiser',
    event: 'board:subscribe',
    args: board,
    withAck: true,
  },
  {
    name: '/admin competition:watch',
    caller: 'organiser',
    event: 'competition:watch',
    args: watch,
    withAck: true,
  },
];

/** Honest judges' ack latencies, by the phase in which each mark was sent. */
class Phases {
  current = 'warm-up';
  readonly latency = new Map<string, LatencyHistogram>();
  readonly failed = new Map<string, Record<string, number>>();
  readonly peakRss = new Map<string, number>();

  record(phase: string, ms: number, code: string | null): void {
    const h = this.latency.get(phase) ?? new LatencyHistogram();
    this.latency.set(phase, h);
    h.record(ms);
    if (code === null) return;
    const f = this.failed.get(phase) ?? {};
    f[code] = (f[code] ?? 0) + 1;
    this.failed.set(phase, f);
  }

  rss(bytes: number): void {
    this.peakRss.set(this.current, Math.max(this.peakRss.get(this.current) ?? 0, bytes));
  }

  summary(phase: string) {
    const h = this.latency.get(phase);
    return {
      marks: h?.count ?? 0,
      failed: this.failed.get(phase) ?? {},
      ackMs: {
        p50: round2(h?.percentile(50) ?? NaN),
        p99: round2(h?.percentile(99) ?? NaN),
        max: round2(h?.max ?? NaN),
      },
    };
  }

  /** All flood phases as one histogram. */
  merged(names: readonly string[]): LatencyHistogram {
    const all = new LatencyHistogram();
    for (const n of names) {
      const h = this.latency.get(n);
      if (h) all.merge(h.toSparse());
    }
    return all;
  }
}

async function main(): Promise<void> {
  const values = readOptions({
    judges: { type: 'string' },
    frames: { type: 'string' },
    baseline: { type: 'string' },
    interval: { type: 'string' },
    settle: { type: 'string' },
    only: { type: 'string' },
  });
  // --only <text>: just the floods whose name contains it (e.g. "/public").
  const only = typeof values.only === 'string' ? values.only : '';
  const floods = FLOODS.filter((f) => f.name.includes(only));
  const judges = Math.round(numberOption(values, 'judges', 20));
  const frames = Math.round(numberOption(values, 'frames', 100_000));
  const baselineS = numberOption(values, 'baseline', 10);
  const intervalMs = numberOption(values, 'interval', 200);
  const settleS = numberOption(values, 'settle', 2);

  const loadAtStart = round2(loadavg()[0] ?? NaN);
  const redis = await startRedisServer();
  const competitionId = `abuse-${Date.now().toString(36)}`;
  const codes = await seedCompetition(redis.url, competitionId, CONTESTANTS, judges + 1);
  const server = await startPodiumProcesses(redis.url, 1);
  const flooder = spawnNode(new URL('./abuse/flooder.ts', import.meta.url).pathname, []);
  const sockets: Socket[] = [];
  const phases = new Phases();
  let sampler: NodeJS.Timeout | undefined;
  let serverDied = false;
  try {
    await flooder.next('hello', 60_000);
    const base = server.bases[0] ?? '';
    const proc = server.processes[0];
    if (!proc) throw new Error('no Podium process');
    const tokens = await signInJudges(base, codes);
    const floodJudge = tokens.pop() ?? '';
    const organiser = await signInOrganiser(base);

    sampler = setInterval(() => {
      try {
        phases.rss(sampleProcess(proc.pid).rss);
      } catch {
        serverDied = true;
      }
    }, 50);
    sampler.unref();

    for (const token of tokens) {
      sockets.push(io(`${base}/judge`, { transports: ['websocket'], auth: { token }, reconnection: false }));
    }
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve()))));

    let marking = true;
    let value = 0;
    const loops = sockets.map(async (socket, j) => {
      for (let k = 0; marking; k++) {
        const sent = now();
        const phase = phases.current;
        const payload = {
          opId: randomUUID(),
          competitionId,
          eventId: BENCH_EVENT,
          roundId: BENCH_ROUND,
          contestantId: contestantId((k * judges + j) % CONTESTANTS),
          marks: { [BENCH_CRITERION]: (value++ % MAX_MARK) + 1 },
        };
        let code: string | null;
        try {
          const ack = (await socket.timeout(30_000).emitWithAck('cmd:marks.submit', payload)) as {
            ok: boolean;
            code?: string;
          };
          code = ack.ok ? null : (ack.code ?? '?');
        } catch {
          code = 'timeout';
        }
        phases.record(phase, now() - sent, code);
        const rest = sent + intervalMs - now();
        if (rest > 0) await sleep(rest);
      }
    });

    // Warm up (JIT, connections, first commits) before anything is measured.
    phases.current = 'warm-up';
    log(`abuse: ${judges} judges marking every ${intervalMs} ms; warm-up ${WARM_UP_S} s …`);
    await sleep(WARM_UP_S * 1000);
    phases.current = 'baseline';
    log(`abuse: baseline ${baselineS} s …`);
    const cpuBaseline = sampleProcess(proc.pid).cpuMs;
    await sleep(baselineS * 1000);
    const baselineCpuMsPerS = Math.round((sampleProcess(proc.pid).cpuMs - cpuBaseline) / baselineS);
    const rssBefore = sampleProcess(proc.pid).rss;

    const results: Array<{ flood: Flood; serverCpuMs: number; result: FloodResult | { error: string } }> = [];
    for (const flood of floods) {
      phases.current = flood.name;
      const token =
        flood.caller === 'judge' ? floodJudge : flood.caller === 'organiser' ? organiser : undefined;
      const order: FloodOrder = {
        base,
        namespace: flood.caller === 'judge' ? '/judge' : flood.caller === 'organiser' ? '/admin' : '/public',
        ...(token === undefined ? {} : { token }),
        event: flood.event,
        args: flood.args(competitionId),
        withAck: flood.withAck,
        frames,
      };
      const cpuBefore = sampleProcess(proc.pid).cpuMs;
      const reply = await flooder.request<{ result?: FloodResult; error?: string }>(
        { type: 'flood', ...order },
        'result',
        180_000,
      );
      const serverCpuMs = Math.round(sampleProcess(proc.pid).cpuMs - cpuBefore);
      results.push({ flood, serverCpuMs, result: reply.result ?? { error: reply.error ?? 'no result' } });
      const r = reply.result;
      log(
        `  ${flood.name}: ${r ? `told to go after ${r.toldDisconnectAfterMs} ms, acks ${JSON.stringify(r.acks)}` : reply.error}`,
      );
      await sleep(settleS * 1000);
    }

    phases.current = 'after';
    log(`abuse: after the floods, ${baselineS} s …`);
    await sleep(baselineS * 1000);
    marking = false;
    await Promise.all(loops);
    clearInterval(sampler);

    const alive = !serverDied && proc.child.exitCode === null && (await healthz(base));
    const baseline = phases.summary('baseline');
    const floodNames = floods.map((f) => f.name);
    const during = phases.merged(floodNames);
    const peakDuring = Math.max(...floodNames.map((n) => phases.peakRss.get(n) ?? 0));
    const duringP99 = during.percentile(99);
    const baselineP99 = baseline.ackMs.p99 ?? NaN;
    const rssGrowthMb = (Math.max(peakDuring, phases.peakRss.get('after') ?? 0) - rssBefore) / MB;
    const report = {
      bench: 'abuse',
      loadAverage: { atStart: loadAtStart, atEnd: round2(loadavg()[0] ?? NaN) },
      judges,
      framesPerFlood: frames,
      intervalMs,
      baseline: { ...baseline, serverCpuMsPerS: baselineCpuMsPerS },
      duringFloods: {
        marks: during.count,
        ackMs: { p50: round2(during.percentile(50)), p99: round2(duringP99), max: round2(during.max) },
      },
      after: phases.summary('after'),
      p99Ratio: round2(duringP99 / baselineP99),
      floods: results.map(({ flood, serverCpuMs, result }) => ({
        name: flood.name,
        withAck: flood.withAck,
        // The server's CPU time from the first frame until the flooder's connection was closed,
        // honest judges' marks included (compare baseline.serverCpuMsPerS).
        serverCpuMs,
        ...('error' in result
          ? { error: result.error }
          : {
              queued: result.queued,
              framesOnWireApprox: Math.round(result.bytesWritten / (result.frameBytes + 6)),
              acks: result.acks,
              notices: result.notices.length,
              lastNotice: result.notices.at(-1) ?? null,
              toldDisconnectAfterMs: result.toldDisconnectAfterMs,
              disconnectedAfterMs: result.disconnectedAfterMs,
            }),
        honest: phases.summary(flood.name),
        peakRssMb: round2((phases.peakRss.get(flood.name) ?? 0) / MB),
      })),
      rss: {
        beforeFloodsMb: round2(rssBefore / MB),
        peakDuringFloodsMb: round2(peakDuring / MB),
        growthMb: round2(rssGrowthMb),
      },
      alive,
      pass: {
        p99WithinTwiceBaseline: duringP99 <= 2 * baselineP99,
        rssGrowthUnder200Mb: rssGrowthMb < 200,
        alive,
        everyFloodDisconnected: results.every(
          (r) => !('error' in r.result) && r.result.disconnectedAfterMs !== null,
        ),
      },
    };
    if (process.env.ABUSE_SERVER_OUTPUT) log(proc.output());
    console.log(JSON.stringify(report));
  } finally {
    clearInterval(sampler);
    for (const s of sockets) s.disconnect();
    await flooder.stop();
    await server.stop();
    await redis.stop();
    redis.cleanup();
  }
}

async function signInOrganiser(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'admin', password: ADMIN_PASSWORD }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`organiser sign-in failed (${res.status})`);
  return body.token;
}

async function healthz(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/healthz`);
    return res.status === 200;
  } catch {
    return false;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
