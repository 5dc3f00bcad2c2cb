/**
 * bench:cluster — the fan-out benchmark against 1, 2 and 3 Podium processes sharing one Redis
 * through the Socket.IO adapter, viewers and judges spread evenly over the processes.
 *   npm run bench:cluster -- [--viewers 1000] [--rate 50] [--duration 10] [--servers-list 1,2,3]
 * The last stdout line is one JSON object; top-level p99 is the worst Podium p99 of the runs (ms).
 */
import { startRedisServer } from '../../test/support/redis-server.ts';
import { log } from './lib/args.ts';
import { round2 } from './lib/histogram.ts';
import { fanoutOptions } from './fanout/options.ts';
import { runFanout, type FanoutResult } from './fanout/run.ts';

async function main(): Promise<void> {
  const { options, values } = fanoutOptions();
  const counts = String(values['servers-list'] ?? '1,2,3')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0 && n <= 8);
  const redis = await startRedisServer();
  try {
    const runs: FanoutResult[] = [];
    for (const servers of counts) {
      log(`cluster: ${servers} Podium process(es), ${options.viewers} viewers, ${options.rate} marks/s …`);
      const r = await runFanout('podium', { ...options, servers, redisUrl: redis.url });
      log(`  p99 ${r.latencyMs.p99} ms, server CPU ${r.server.cpuPct}%, lost ${r.losses.undeliveredMarks}`);
      runs.push(r);
    }
    const p99s = runs.map((r) => r.latencyMs.p99 ?? Number.POSITIVE_INFINITY);
    console.log(
      JSON.stringify({
        bench: 'cluster',
        viewers: options.viewers,
        rate: options.rate,
        durationS: options.duration,
        p99: runs.length ? Math.max(...p99s) : null,
        // Deliveries (one mark reaching one viewer) per second of server CPU, and that throughput
        // relative to one process: 1.0 per process added would be linear.
        summary: runs.map((r) => ({
          servers: r.servers,
          loadAvg1m: r.machine.loadAvg1m,
          loadAvgEnd1m: r.machine.loadAvgEnd1m,
          boundBy: r.generator.boundBy,
          deliveriesPerCpuS: perCpuS(r),
          deliveriesPerCpuSVsOne: runs[0] && perCpuS(runs[0]) ? round2(perCpuS(r) / perCpuS(runs[0])) : null,
          ackP99Ms: r.acks.p99Ms,
          p99: r.latencyMs.p99,
          lastViewerMaxMs: r.lastViewerMs.max,
          serverCpuPct: r.server.cpuPct,
          cpuUsPerMarkDelivery: r.server.cpuUsPerMarkDelivery,
          undelivered: r.losses.undeliveredMarks,
        })),
        runs,
      }),
    );
  } finally {
    await redis.stop();
    redis.cleanup();
  }
}

function perCpuS(r: FanoutResult): number {
  return r.server.cpuMs > 0 ? Math.round(r.delivered.markDeliveries / (r.server.cpuMs / 1000)) : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
