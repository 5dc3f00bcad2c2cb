/**
 * One chaos run: Redis with AOF, several Podium processes, a seeded competition, simulated judges
 * on flaky connections — and, while they submit, server processes SIGKILLed and Redis restarted.
 * Ends with the audit of verify.ts. Used by `npm run chaos` and test/faults/chaos.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { seededRandom } from '../../server/demo/random.ts';
import { openStore } from '../../server/store/index.ts';
import { ChaosCluster, sleep } from './cluster.ts';
import { planMarks, SimulatedJudge } from './judge.ts';
import { seedChaos, signInJudge } from './seed.ts';
import { audit } from './verify.ts';

export interface ChaosOptions {
  judges: number;
  /** Submissions per judge. */
  marks: number;
  servers: number;
  seed: number;
  serverKills: number;
  redisRestarts: number;
  /** Chance that the connection drops right after a submission is sent. */
  dropRate: number;
  /** Mean pause between a judge's submissions, so faults land while marks are being written. */
  paceMs: number;
  /** The judges give up on unacknowledged marks after this long (they then count as pending). */
  deadlineMs: number;
  log: (message: string) => void;
}

export interface ChaosReport {
  acknowledged: number;
  lost: number;
  duplicated: number;
  mismatches: number;
  serverKills: number;
  redisRestarts: number;
  durationMs: number;
  /** Marks still unacknowledged at the deadline (retried until then). */
  pending: number;
  /** Marks the server refused for good. */
  rejected: number;
  unexpectedServerExits: number;
  sends: number;
  resends: number;
  drops: number;
  timeouts: number;
  connectFailures: number;
  /** Error acks by code (each was retried with the same opId). */
  errorAcks: Record<string, number>;
  duplicateAcks: number;
  logEntries: number;
  seed: number;
  problems: string[];
}

type Fault = { kind: 'server'; index: number } | { kind: 'redis'; signal: 'SIGKILL' | 'SIGTERM' };

/** Spread the faults over 15 %–75 % of the planned marks, alternating server kills and Redis restarts. */
export function faultSchedule(
  serverKills: number,
  redisRestarts: number,
  servers: number,
): Array<{ at: number; fault: Fault }> {
  const faults: Fault[] = [];
  for (let s = 0, r = 0; s < serverKills || r < redisRestarts;) {
    if (s < serverKills) faults.push({ kind: 'server', index: s++ % servers });
    if (r < redisRestarts) faults.push({ kind: 'redis', signal: r++ % 2 === 0 ? 'SIGKILL' : 'SIGTERM' });
  }
  const span = faults.length > 1 ? 0.6 / (faults.length - 1) : 0;
  return faults.map((fault, i) => ({ at: 0.15 + span * i, fault }));
}

/** Run the whole scenario and audit the store; never throws for a failed audit (see the report). */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const { log } = options;
  const cluster = await ChaosCluster.start({ servers: options.servers, appendfsync: 'always', log });
  try {
    log(`chaos: Redis ${cluster.redisUrl} (appendfsync always), servers ${cluster.urls.join(' ')}`);
    const competitionId = `chaos-${options.seed}-${randomUUID().slice(0, 6)}`;
    const seeded = await seedChaos(cluster.redisUrl, competitionId, options.judges, options.seed);
    const runId = randomUUID().slice(0, 8);
    const judges: SimulatedJudge[] = [];
    for (const [i, judge] of seeded.entries()) {
      const rng = seededRandom(options.seed * 1_000 + i);
      const token = await signInJudge(rng.pick(cluster.urls), judge.code);
      const plan = planMarks(judge, options.marks, rng, runId);
      judges.push(
        new SimulatedJudge(
          judge,
          competitionId,
          token,
          plan,
          () => cluster.urls,
          rng,
          options.dropRate,
          options.paceMs,
        ),
      );
    }
    log(`chaos: ${judges.length} judges signed in, ${options.marks} marks each`);

    const deadline = Date.now() + options.deadlineMs;
    const planned = options.judges * options.marks;
    const acked = (): number => judges.reduce((n, j) => n + j.saved.length, 0);
    let running = true;
    const working = Promise.all(judges.map((j) => j.run(deadline))).finally(() => {
      running = false;
    });
    const progress = setInterval(() => log(`chaos: ${acked()}/${planned} acknowledged`), 5_000);
    const chaos = (async () => {
      for (const { at, fault } of faultSchedule(
        options.serverKills,
        options.redisRestarts,
        options.servers,
      )) {
        while (running && acked() < at * planned) await sleep(20);
        if (!running || Date.now() > deadline) return;
        log(`chaos: ${acked()}/${planned} acknowledged`);
        if (fault.kind === 'server') {
          await cluster.allUp();
          await cluster.killServer(fault.index, 300 + (options.seed % 700));
        } else await cluster.restartRedis(fault.signal, 500 + (options.seed % 500));
      }
    })();
    await Promise.all([working, chaos]).finally(() => clearInterval(progress));
    log(`chaos: judges done after ${Date.now() - started} ms; auditing the store`);

    const { store } = await openStore({ redisUrl: cluster.redisUrl, dataDir: 'unused' });
    const result = await audit(
      store,
      competitionId,
      judges.map((j) => ({ judgeId: j.judgeId, eventId: j.eventId, saved: j.saved })),
    ).finally(() => store.close());
    const sum = (f: (j: SimulatedJudge) => number): number => judges.reduce((n, j) => n + f(j), 0);
    const rejected = judges.flatMap((j) => j.rejected);
    return {
      acknowledged: result.acknowledged,
      lost: result.lost,
      duplicated: result.duplicated,
      mismatches: result.mismatches,
      serverKills: cluster.serverKills,
      redisRestarts: cluster.redisRestarts,
      durationMs: Date.now() - started,
      pending: sum((j) => j.pending),
      rejected: rejected.length,
      unexpectedServerExits: cluster.unexpectedExits,
      sends: sum((j) => j.stats.sends),
      resends: sum((j) => j.stats.resends),
      drops: sum((j) => j.stats.drops),
      timeouts: sum((j) => j.stats.timeouts),
      connectFailures: sum((j) => j.stats.connectFailures),
      errorAcks: countErrors(judges),
      duplicateAcks: sum((j) => j.saved.filter((s) => s.duplicate).length),
      logEntries: result.logEntries,
      seed: options.seed,
      problems: [
        ...result.problems,
        ...rejected.slice(0, 5).map((r) => `rejected: ${r.op.opId}: ${r.code} ${r.message}`),
      ],
    };
  } finally {
    await cluster.stop();
  }
}

function countErrors(judges: SimulatedJudge[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const judge of judges)
    for (const [code, n] of Object.entries(judge.stats.errors)) counts[code] = (counts[code] ?? 0) + (n ?? 0);
  return counts;
}

/** True when the run proves nothing acknowledged was lost, duplicated or changed, and every fault happened. */
export function passed(
  report: ChaosReport,
  options: Pick<ChaosOptions, 'serverKills' | 'redisRestarts'>,
): boolean {
  return (
    report.lost === 0 &&
    report.duplicated === 0 &&
    report.mismatches === 0 &&
    report.pending === 0 &&
    report.rejected === 0 &&
    report.serverKills >= options.serverKills &&
    report.redisRestarts >= options.redisRestarts
  );
}
