/**
 * One fan-out run against one target: connect the viewers (lean ones in worker processes, a few
 * real socket.io-client ones here), submit marks at a fixed rate through the judge path, and
 * measure what reached every viewer, when, and what it cost the server.
 */
import { cpus, loadavg } from 'node:os';
import { now, sleep } from '../lib/clock.ts';
import { LatencyHistogram, percentileOf, round2 } from '../lib/histogram.ts';
import { sampleProcess, type ProcSample } from '../lib/proc.ts';
import { buildMarks, MarkIndex, type ScheduleParams } from '../lib/schedule.ts';
import { spawnNode, type NodeChild } from '../lib/spawn.ts';
import { IoViewers, type IoViewerCheck } from './io-viewers.ts';
import { coalesceMs, startTarget, type RunningTarget, type TargetKind } from './targets.ts';
import { DeliveryTracker, type TrackerReport } from './tracker.ts';
import type { JudgeConnect, JudgeReport } from './judge-worker.ts';
import type { WorkerInit } from './viewer-worker.ts';

export interface FanoutOptions {
  viewers: number;
  /** Marks per second. */
  rate: number;
  /** Seconds of marking. */
  duration: number;
  servers: number;
  /** Share of viewers that are lean; the rest are real socket.io-client viewers (at most 500). */
  leanRatio: number;
  contestants: number;
  judges: number;
  workers: number;
  redisUrl: string;
  /** How long to keep listening after the last acknowledgement. */
  drainMs: number;
}

export interface FanoutResult {
  target: TargetKind;
  servers: number;
  /** The machine is shared: its load when the run started says how much to trust the numbers. */
  machine: {
    cpus: number;
    loadAvg1m: number;
    /** At the end of the marks; a run is load-bound when either exceeds 1.5 × cpus (see boundBy). */
    loadAvgEnd1m: number;
  };
  /** The maximum coalescing window (PODIUM_COALESCE_MS) of Podium and the limit; null for the others. */
  coalesceMs: number | null;
  viewers: {
    requested: number;
    connected: number;
    failed: number;
    lean: number;
    socketIo: number;
    connectMs: number;
    firstError: string | null;
  };
  rate: number;
  durationS: number;
  marks: number;
  latencyMs: {
    p50: number | null;
    p95: number | null;
    p99: number | null;
    max: number | null;
    /** Lean viewers (worker processes) and socket.io-client viewers (the main process) apart. */
    byClient: Record<'lean' | 'socketIo', { p50: number | null; p99: number | null; count: number }>;
  };
  /** Per mark, when the LAST viewer had it: median and max over marks (only marks every viewer got). */
  lastViewerMs: { median: number | null; max: number | null; marksNotReachingAll: number };
  delivered: {
    messagesPerS: number;
    bytesPerS: number;
    markDeliveries: number;
    bytesPerMarkDelivery: number | null;
  };
  server: {
    cpuMs: number;
    cpuPct: number;
    cpuUsPerMessage: number | null;
    cpuUsPerMarkDelivery: number | null;
    peakRssMB: number;
    rssPerConnectionKB: number | null;
    eventLoopDelayMs: { p99: number | null; max: number | null };
  };
  losses: {
    gaps: number;
    reorders: number;
    viewersWithGaps: number;
    maxGapsPerViewer: number;
    undeliveredMarks: number;
  };
  acks: { ok: number; failed: number; p50Ms: number | null; p99Ms: number | null; firstError: string | null };
  generator: {
    workers: number;
    workerCpuPct: number | null;
    workerCpuUsPerMessage: number | null;
    /** The slowest worker's event-loop delay p99: high means the viewers, not the server, lag. */
    workerLoopDelayP99Ms: number | null;
    sendLagP99Ms: number | null;
    /** The judge worker's event-loop delay p99: high means acks were read late by the judges. */
    judgeLoopDelayP99Ms: number | null;
    /**
     * Why the viewers' numbers may be the generator's rather than the server's: a worker busy
     * most of a core, a worker event loop lagging, or marks sent late; empty when none.
     */
    boundBy: string[];
  };
  correctness: IoViewerCheck;
}

const MAX_IO_VIEWERS = 500;
const BOARD = 'e1|r1|individual';
/** Loopback source addresses beyond this many viewers (the ephemeral port range is ~28,000). */
const PER_SOURCE_ADDRESS = 20_000;

/** Run the fan-out benchmark against `kind` and return the measurements. */
export async function runFanout(kind: TargetKind, o: FanoutOptions): Promise<FanoutResult> {
  const schedule: ScheduleParams = {
    rate: o.rate,
    marks: Math.max(1, Math.round(o.rate * o.duration)),
    contestants: o.contestants,
    judges: o.judges,
  };
  const marks = buildMarks(schedule);
  const competitionId = `bench-${kind}-${Date.now().toString(36)}`;
  const target = await startTarget(kind, {
    competitionId,
    board: BOARD,
    contestants: o.contestants,
    judges: o.judges,
    redisUrl: o.redisUrl,
    servers: o.servers,
  });
  const workers: NodeChild[] = [];
  try {
    return await measure(kind, o, schedule, marks, target, workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await target.stop();
  }
}

async function measure(
  kind: TargetKind,
  o: FanoutOptions,
  schedule: ScheduleParams,
  marks: ReturnType<typeof buildMarks>,
  target: RunningTarget,
  workers: NodeChild[],
): Promise<FanoutResult> {
  const ioCount = Math.min(MAX_IO_VIEWERS, Math.round(o.viewers * (1 - o.leanRatio)));
  const leanCount = o.viewers - ioCount;
  const workerCount = Math.max(1, Math.min(o.workers, Math.ceil(leanCount / 100)));
  const rssBefore = sumSamples(target.processes);
  const machine = { cpus: cpus().length, loadAvg1m: round2(loadavg()[0] ?? 0) ?? 0 };

  // Viewers: lean ones in worker processes, evenly split; a few real clients in this process.
  const tracker = new DeliveryTracker(new MarkIndex(marks, o.contestants), o.rate);
  const ioViewers = new IoViewers(tracker);
  for (let w = 0; w < workerCount; w++) {
    workers.push(
      spawnNode(new URL('./viewer-worker.ts', import.meta.url).pathname, [], { inheritOutput: true }),
    );
  }
  await Promise.all(workers.map((w) => w.next('hello', 60_000)));
  const connectStarted = now();
  const per = Math.ceil(leanCount / workerCount);
  const connected = await Promise.all(
    workers.map((w, i) => {
      const first = i * per;
      const init: WorkerInit = {
        type: 'init',
        bases: target.bases,
        competitionIds: [target.competitionId],
        board: target.board,
        schedule,
        first,
        count: Math.max(0, Math.min(per, leanCount - first)),
        perSourceAddress: PER_SOURCE_ADDRESS,
        spreadSources: o.viewers > PER_SOURCE_ADDRESS,
      };
      return w.request<{ ok: number; failed: number; errors: string[] }>(init, 'connected', 600_000);
    }),
  );
  let ioError: string | null = null;
  await ioViewers.connect(ioCount, target.bases, target.competitionId, target.board).catch((e: unknown) => {
    ioError = String(e);
  });
  const connectMs = now() - connectStarted;
  const failed = connected.reduce((a, c) => a + c.failed, 0) + (ioError ? ioCount : 0);
  const firstError = connected.flatMap((c) => c.errors)[0] ?? ioError;
  await sleep(500);
  const rssAfter = sumSamples(target.processes);

  // Marks: the judge worker submits them at the intended times, without waiting for acks.
  const judges = spawnNode(new URL('./judge-worker.ts', import.meta.url).pathname, [], {
    inheritOutput: true,
  });
  workers.push(judges);
  await judges.next('hello', 60_000);
  const judgeConnect: JudgeConnect = { type: 'connect', spec: await target.judgeSpec(), schedule };
  const judgesReady = await judges.request<{ ok: boolean; error?: string }>(
    judgeConnect,
    'connected',
    60_000,
  );
  if (!judgesReady.ok) throw new Error(`judges could not connect: ${judgesReady.error ?? '?'}`);
  await Promise.all(target.processes.map((p) => p.request({ type: 'probe:reset' }, 'probe:reset:done')));
  const t0 = now() + 500;
  tracker.t0 = t0;
  await Promise.all(workers.map((w) => w.request({ type: 'start', t0 }, 'started')));
  const cpu0 = target.processes.map((p) => sampleProcess(p.pid).cpuMs);
  // Resolves once every mark was acknowledged or refused.
  const judged = await judges.request<JudgeReport>({ type: 'collect' }, 'report', 600_000);
  const ackLatency = new LatencyHistogram();
  for (const ms of judged.ackMs) ackLatency.record(ms);
  await sleep(o.drainMs);
  const elapsedMs = now() - t0;
  const loadAvgEnd1m = round2(loadavg()[0] ?? 0) ?? 0;
  const cpuMs = target.processes.reduce((a, p, i) => a + sampleProcess(p.pid).cpuMs - (cpu0[i] ?? 0), 0);
  const probes = await Promise.all(
    target.processes.map((p) => p.request<{ p99: number; max: number }>({ type: 'probe:read' }, 'probe')),
  );
  const peak = sumSamples(target.processes);

  const viewerWorkers = workers.filter((w) => w !== judges);
  const reports = await Promise.all(
    viewerWorkers.map((w) =>
      w.request<{ report: TrackerReport; cpuMs: number; loopDelayP99Ms: number }>(
        { type: 'collect' },
        'report',
        120_000,
      ),
    ),
  );
  const correctness = ioViewers.check(marks);
  const all = [tracker.report(), ...reports.map((r) => r.report)];
  const histogram = new LatencyHistogram();
  for (const r of all) histogram.merge(r.histogram);
  // The same latencies split by who received them: lean viewers live in worker processes, the
  // real socket.io-client viewers in this (busier) process (the judges have their own).
  const lean = new LatencyHistogram();
  for (const r of reports) lean.merge(r.report.histogram);
  const socketIo = new LatencyHistogram();
  socketIo.merge(tracker.report().histogram);
  const summary = (h: LatencyHistogram): { p50: number | null; p99: number | null; count: number } => ({
    p50: round2(h.percentile(50)),
    p99: round2(h.percentile(99)),
    count: h.count,
  });
  const viewersTracked = all.reduce((a, r) => a + r.viewers, 0);
  const lastViewer: number[] = [];
  let notAll = 0;
  marks.forEach((_, seq) => {
    const reached = all.reduce((a, r) => a + (r.reached[seq] ?? 0), 0);
    if (reached < viewersTracked) notAll++;
    else lastViewer.push(Math.max(...all.map((r) => r.lastArrival[seq] ?? Number.NEGATIVE_INFINITY)));
  });
  const messages = all.reduce((a, r) => a + r.messages, 0);
  const bytes = all.reduce((a, r) => a + r.bytes, 0);
  const workerCpuMs = reports.reduce((a, r) => a + r.cpuMs, 0);
  const workerMessages = reports.reduce((a, r) => a + r.report.messages, 0);
  const connectedCount = o.viewers - failed;
  const generator = {
    workers: workerCount,
    workerCpuPct: round2((workerCpuMs / elapsedMs / workerCount) * 100),
    workerCpuUsPerMessage: round2((workerCpuMs * 1000) / workerMessages),
    workerLoopDelayP99Ms: round2(Math.max(...reports.map((r) => r.loopDelayP99Ms))),
    sendLagP99Ms: round2(percentileOf(judged.sendLagMs, 99)),
    judgeLoopDelayP99Ms: round2(judged.loopDelayP99Ms),
  };

  return {
    target: kind,
    servers: target.processes.length,
    machine: { ...machine, loadAvgEnd1m },
    coalesceMs: kind === 'podium' || kind === 'limit' ? coalesceMs() : null,
    viewers: {
      requested: o.viewers,
      connected: connectedCount,
      failed,
      lean: leanCount,
      socketIo: ioCount,
      connectMs: Math.round(connectMs),
      firstError,
    },
    rate: o.rate,
    durationS: o.duration,
    marks: marks.length,
    latencyMs: {
      p50: round2(histogram.percentile(50)),
      p95: round2(histogram.percentile(95)),
      p99: round2(histogram.percentile(99)),
      max: round2(histogram.max),
      byClient: { lean: summary(lean), socketIo: summary(socketIo) },
    },
    lastViewerMs: {
      median: round2(percentileOf(lastViewer, 50)),
      max: round2(lastViewer.length ? Math.max(...lastViewer) : NaN),
      marksNotReachingAll: notAll,
    },
    delivered: {
      messagesPerS: Math.round(messages / (elapsedMs / 1000)),
      bytesPerS: Math.round(bytes / (elapsedMs / 1000)),
      markDeliveries: histogram.count,
      // Bytes it took to get one mark to one viewer: fair across coalescing (Podium: several marks
      // per message) and across a server that falls behind (fewer messages, each a whole board).
      bytesPerMarkDelivery: histogram.count > 0 ? Math.round(bytes / histogram.count) : null,
    },
    server: {
      cpuMs: Math.round(cpuMs),
      cpuPct: Math.round((cpuMs / elapsedMs) * 100),
      cpuUsPerMessage: round2((cpuMs * 1000) / messages),
      cpuUsPerMarkDelivery: round2((cpuMs * 1000) / histogram.count),
      peakRssMB: round2(peak.peakRss / 2 ** 20) ?? 0,
      rssPerConnectionKB: round2((rssAfter.rss - rssBefore.rss) / 1024 / Math.max(1, connectedCount)),
      eventLoopDelayMs: {
        p99: round2(Math.max(...probes.map((p) => p.p99))),
        max: round2(Math.max(...probes.map((p) => p.max))),
      },
    },
    losses: {
      gaps: all.reduce((a, r) => a + r.gaps, 0),
      reorders: all.reduce((a, r) => a + r.reorders, 0),
      viewersWithGaps: all.reduce((a, r) => a + r.viewersWithGaps, 0),
      maxGapsPerViewer: Math.max(...all.map((r) => r.maxGapsPerViewer)),
      undeliveredMarks: all.reduce((a, r) => a + r.undelivered, 0),
    },
    acks: {
      ok: judged.ok,
      failed: judged.failed,
      p50Ms: round2(ackLatency.percentile(50)),
      p99Ms: round2(ackLatency.percentile(99)),
      firstError: judged.firstError,
    },
    generator: {
      ...generator,
      boundBy: [...generatorBounds(generator), ...loadBounds(machine.cpus, machine.loadAvg1m, loadAvgEnd1m)],
    },
    correctness,
  };
}

/** A worker above this share of a core, or lagging this much, makes a run generator-bound. */
const GENERATOR_CPU_PCT = 80;
const GENERATOR_LOOP_DELAY_MS = 50;
const SEND_LAG_MS = 20;

function generatorBounds(g: {
  workerCpuPct: number | null;
  workerLoopDelayP99Ms: number | null;
  sendLagP99Ms: number | null;
  judgeLoopDelayP99Ms: number | null;
}): string[] {
  const bounds: string[] = [];
  if ((g.workerCpuPct ?? 0) >= GENERATOR_CPU_PCT)
    bounds.push(`viewer workers at ${g.workerCpuPct}% of a core`);
  if ((g.workerLoopDelayP99Ms ?? 0) >= GENERATOR_LOOP_DELAY_MS)
    bounds.push(`viewer worker loop delay p99 ${g.workerLoopDelayP99Ms} ms`);
  if ((g.sendLagP99Ms ?? 0) >= SEND_LAG_MS) bounds.push(`marks sent ${g.sendLagP99Ms} ms late (p99)`);
  if ((g.judgeLoopDelayP99Ms ?? 0) >= SEND_LAG_MS)
    bounds.push(`judge worker loop delay p99 ${g.judgeLoopDelayP99Ms} ms`);
  return bounds;
}

/** Other people's processes: more runnable than 1.5 per core and every figure waits for CPU. */
function loadBounds(cpuCount: number, ...loads: number[]): string[] {
  const worst = Math.max(...loads);
  return worst > 1.5 * cpuCount ? [`LOAD-BOUND: load average ${worst} on ${cpuCount} cores`] : [];
}

/** Default number of viewer worker processes: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, cpus().length);
}

function sumSamples(processes: NodeChild[]): ProcSample {
  return processes
    .map((p) => sampleProcess(p.pid))
    .reduce((a, s) => ({ cpuMs: a.cpuMs + s.cpuMs, rss: a.rss + s.rss, peakRss: a.peakRss + s.peakRss }));
}
