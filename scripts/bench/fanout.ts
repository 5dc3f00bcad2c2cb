/**
 * bench:fanout — how fast Podium gets each mark to N viewers, and at what cost, next to two
 * baselines measured in the same run with the same marks: a bare `ws` server (the practical
 * limit) and a naive Socket.IO server (re-read and re-send the whole board on every mark).
 *   npm run bench:fanout -- --viewers 1000 --rate 50 --duration 10 [--servers 1] [--lean-ratio 0.98]
 *   npm run bench:fanout -- --find-max [--steps 1000,2000,5000] [--max-viewers 5000]
 * Progress goes to stderr; the last stdout line is one JSON object (top-level p99: Podium's, ms).
 */
import { startRedisServer } from '../../test/support/redis-server.ts';
import { log, numberListOption, numberOption } from './lib/args.ts';
import { fanoutOptions } from './fanout/options.ts';
import { ratios } from './fanout/ratios.ts';
import { runFanout, type FanoutOptions, type FanoutResult } from './fanout/run.ts';
import type { TargetKind } from './fanout/targets.ts';

const P99_LIMIT_MS = 200;
const FIND_MAX_RATE = 50;

async function main(): Promise<void> {
  const { options, values } = fanoutOptions();
  const redis = await startRedisServer();
  try {
    const o: FanoutOptions = { ...options, redisUrl: redis.url };
    const result = values['find-max'] ? await findMax(o, values) : await compare(o, values);
    console.log(JSON.stringify(result));
  } finally {
    await redis.stop();
    redis.cleanup();
  }
}

/** Each target in turn with the same viewers and marks; Podium's ratios to each baseline. */
async function compare(o: FanoutOptions, values: Record<string, unknown>): Promise<object> {
  const kinds = String(values.targets ?? 'bare,naive,podium').split(',') as TargetKind[];
  const results: Partial<Record<TargetKind, FanoutResult>> = {};
  const errors: Partial<Record<TargetKind, string>> = {};
  for (const kind of kinds) {
    log(`fanout: ${kind}, ${o.viewers} viewers, ${o.rate} marks/s for ${o.duration} s …`);
    try {
      const r = await runFanout(kind, kind === 'podium' ? o : { ...o, servers: 1 });
      results[kind] = r;
      log(`  p99 ${r.latencyMs.p99} ms, server CPU ${r.server.cpuPct}%, lost ${r.losses.undeliveredMarks}`);
    } catch (e) {
      errors[kind] = (e as Error).message;
      log(`  failed: ${(e as Error).message}`);
    }
  }
  const podium = results.podium;
  return {
    bench: 'fanout',
    viewers: o.viewers,
    rate: o.rate,
    durationS: o.duration,
    p99: podium?.latencyMs.p99 ?? null,
    // The bare run doubles as the calibration of the load generator: client-side cost only.
    calibration: results.bare
      ? { ...results.bare.generator, messagesPerS: results.bare.delivered.messagesPerS }
      : null,
    podiumVsBare: podium && results.bare ? ratios(podium, results.bare) : null,
    podiumVsNaive: podium && results.naive ? ratios(podium, results.naive) : null,
    results,
    errors,
  };
}

/** Step N up at 50 marks/s; the largest N whose p99 stays within 200 ms, for Podium and bare ws. */
async function findMax(o: FanoutOptions, values: Record<string, unknown>): Promise<object> {
  const cap = numberOption(values, 'max-viewers', 5000);
  const steps = numberListOption(values, 'steps', [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]).filter(
    (n) => n <= cap,
  );
  const found: Record<
    string,
    { maxViewers: number | null; steps: Array<{ viewers: number; p99: number | null; failed: number }> }
  > = {};
  for (const kind of ['podium', 'bare'] as const) {
    const entry: (typeof found)[string] = { maxViewers: null, steps: [] };
    found[kind] = entry;
    for (const viewers of steps) {
      log(`find-max: ${kind}, ${viewers} viewers at ${FIND_MAX_RATE} marks/s …`);
      let r: FanoutResult;
      try {
        r = await runFanout(kind, {
          ...o,
          viewers,
          rate: FIND_MAX_RATE,
          servers: kind === 'podium' ? o.servers : 1,
        });
      } catch (e) {
        log(`  failed: ${(e as Error).message}`);
        entry.steps.push({ viewers, p99: null, failed: viewers });
        break;
      }
      const p99 = r.latencyMs.p99;
      entry.steps.push({ viewers, p99, failed: r.viewers.failed });
      log(
        `  p99 ${p99} ms, ${r.viewers.failed} failed connections, ${r.losses.undeliveredMarks} undelivered`,
      );
      const ok =
        p99 !== null && p99 <= P99_LIMIT_MS && r.viewers.failed === 0 && r.losses.undeliveredMarks === 0;
      if (!ok) break;
      entry.maxViewers = viewers;
    }
  }
  const podiumMax = found.podium?.maxViewers ?? null;
  const bareMax = found.bare?.maxViewers ?? null;
  return {
    bench: 'fanout-find-max',
    rate: FIND_MAX_RATE,
    durationS: o.duration,
    p99LimitMs: P99_LIMIT_MS,
    stepsTried: steps,
    podiumMaxViewers: podiumMax,
    bareMaxViewers: bareMax,
    ratio: podiumMax !== null && bareMax ? Math.round((podiumMax / bareMax) * 100) / 100 : null,
    found,
    p99: found.podium?.steps.at(-1)?.p99 ?? null,
  };
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
