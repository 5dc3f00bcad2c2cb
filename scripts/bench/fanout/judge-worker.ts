/**
 * The judges' own process: submits every mark at its intended time and times the server's
 * acknowledgement. Judges used to live in the coordinator beside the real socket.io-client
 * viewers, whose decoding then delayed both the sends and the reading of the acks — so the ack
 * figure was partly the generator's. Here nothing else runs on this event loop.
 * Messages: connect → connected, start → started, collect → report.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now, sleep } from '../lib/clock.ts';
import { buildMarks, intendedAt, type ScheduleParams } from '../lib/schedule.ts';
import { connectSubmitter, type JudgeSpec, type Submitter } from './submitters.ts';

export interface JudgeConnect {
  type: 'connect';
  spec: JudgeSpec;
  schedule: ScheduleParams;
}

export interface JudgeReport {
  type: 'report';
  ok: number;
  failed: number;
  firstError: string | null;
  /** Intended send time → acknowledgement read, per acknowledged mark (ms). */
  ackMs: number[];
  /** How late each mark was sent (ms). */
  sendLagMs: number[];
  loopDelayP99Ms: number;
}

const send = (m: object): void => {
  process.send?.(m);
};

let submitter: Submitter | null = null;
let schedule: ScheduleParams | null = null;
let finished: Promise<JudgeReport> | null = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

async function run(s: Submitter, p: ScheduleParams, t0: number): Promise<JudgeReport> {
  const report: JudgeReport = {
    type: 'report',
    ok: 0,
    failed: 0,
    firstError: null,
    ackMs: [],
    sendLagMs: [],
    loopDelayP99Ms: 0,
  };
  const acks: Array<Promise<void>> = [];
  for (const mark of buildMarks(p)) {
    const due = intendedAt(t0, p.rate, mark.seq);
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    report.sendLagMs.push(now() - due);
    acks.push(
      s.submit(mark).then(
        () => {
          report.ok++;
          report.ackMs.push(now() - due);
        },
        (e: unknown) => {
          report.failed++;
          report.firstError ??= String(e);
        },
      ),
    );
  }
  await Promise.all(acks);
  return report;
}

process.on('message', (m: { type: string; t0?: number; spec?: JudgeSpec; schedule?: ScheduleParams }) => {
  if (m.type === 'connect' && m.spec && m.schedule) {
    schedule = m.schedule;
    connectSubmitter(m.spec).then(
      (s) => {
        submitter = s;
        send({ type: 'connected', ok: true });
      },
      (e: unknown) => send({ type: 'connected', ok: false, error: String(e) }),
    );
  } else if (m.type === 'start' && submitter && schedule && m.t0 !== undefined) {
    loopDelay.enable();
    finished = run(submitter, schedule, m.t0);
    send({ type: 'started' });
  } else if (m.type === 'collect' && finished) {
    void finished.then((report) => {
      loopDelay.disable();
      report.loopDelayP99Ms = Math.max(0, loopDelay.percentile(99) / 1e6 - 10);
      submitter?.close();
      send(report);
    });
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'hello' });
