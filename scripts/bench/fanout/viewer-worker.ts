/**
 * A viewer worker process: holds many lean viewers, records when each mark reached each of them,
 * and reports to the coordinator over IPC (messages: init → connected, start → started,
 * collect → report).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now } from '../lib/clock.ts';
import { buildMarks, MarkIndex, type ScheduleParams } from '../lib/schedule.ts';
import { FrameCache, LeanViewer } from './lean-client.ts';
import { DeliveryTracker } from './tracker.ts';

export interface WorkerInit {
  type: 'init';
  /** Server base URLs; viewer k (global index) uses bases[k % bases.length]. */
  bases: string[];
  competitionIds: string[];
  board: string;
  schedule: ScheduleParams;
  /** Global indexes of this worker's viewers: [first, first + count). */
  first: number;
  count: number;
  /** Spread source addresses over 127.0.0.x beyond this many viewers (ephemeral ports run out). */
  perSourceAddress: number;
  spreadSources: boolean;
}

const CONNECT_CONCURRENCY = 100;

const send = (m: object): void => {
  process.send?.(m);
};

let tracker: DeliveryTracker | null = null;
let viewers: LeanViewer[] = [];
let cpuAtStart = process.cpuUsage();
// A worker that falls behind (busy or starved of CPU) shows it here: its latency numbers are then
// the generator's, not the server's.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

async function init(m: WorkerInit): Promise<void> {
  const index = new MarkIndex(buildMarks(m.schedule), m.schedule.contestants);
  const t = new DeliveryTracker(index, m.schedule.rate);
  tracker = t;
  const cache = new FrameCache();
  const started = now();
  let failed = 0;
  const errors: string[] = [];
  let next = m.first;
  const end = m.first + m.count;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const k = next++;
      const state = t.addViewer();
      const base = m.bases[k % m.bases.length] ?? '';
      const competitionId = m.competitionIds[k % m.competitionIds.length] ?? '';
      const source = m.spreadSources ? `127.0.0.${2 + Math.floor(k / m.perSourceAddress)}` : undefined;
      const viewer = new LeanViewer({
        base,
        competitionId,
        board: m.board,
        cache,
        ...(source ? { localAddress: source } : {}),
        onDelta: (delta, bytes) => t.delta(state, delta, now(), bytes),
      });
      viewers.push(viewer);
      try {
        t.snapshot(state, await viewer.ready, now());
      } catch (e) {
        failed++;
        t.viewers.splice(t.viewers.indexOf(state), 1);
        if (errors.length < 3) errors.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, lane));
  send({ type: 'connected', ok: m.count - failed, failed, errors, ms: now() - started });
}

process.on('message', (m: { type: string; t0?: number }) => {
  if (m.type === 'init') {
    init(m as WorkerInit).catch((e: unknown) =>
      send({ type: 'connected', ok: 0, failed: 0, errors: [String(e)] }),
    );
  } else if (m.type === 'start' && tracker && m.t0 !== undefined) {
    tracker.t0 = m.t0;
    cpuAtStart = process.cpuUsage();
    loopDelay.enable();
    send({ type: 'started' });
  } else if (m.type === 'collect' && tracker) {
    const cpu = process.cpuUsage(cpuAtStart);
    loopDelay.disable();
    const loopDelayP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - 10);
    send({ type: 'report', report: tracker.report(), cpuMs: (cpu.user + cpu.system) / 1000, loopDelayP99Ms });
    for (const v of viewers) v.close();
    viewers = [];
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'hello' });
