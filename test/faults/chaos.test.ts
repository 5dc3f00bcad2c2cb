/**
 * The short chaos run (see scripts/chaos.ts for the full one): real Podium processes sharing a
 * Redis with `appendfsync always`, judges on connections that drop, one server SIGKILLed and
 * Redis SIGKILLed and restarted while marks are being written. Nothing acknowledged may be lost,
 * duplicated or changed, and every ranking must equal the rebuild from the log.
 */
import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosOptions } from '../../scripts/chaos/run.ts';

describe('chaos: server kills and a Redis restart during judging', () => {
  it('keeps every acknowledged mark exactly once', { timeout: 180_000 }, async () => {
    const options: ChaosOptions = {
      judges: 6,
      marks: 15,
      servers: 2,
      seed: 42,
      serverKills: 1,
      redisRestarts: 1,
      dropRate: 0.15,
      paceMs: 150,
      deadlineMs: 100_000,
      log: (line) => lines.push(line),
    };
    const lines: string[] = [];
    const report = await runChaos(options);

    expect(report.problems, lines.join('\n')).toEqual([]);
    expect(report, lines.join('\n')).toMatchObject({
      acknowledged: 90,
      lost: 0,
      duplicated: 0,
      mismatches: 0,
      pending: 0,
      rejected: 0,
      serverKills: 1,
      redisRestarts: 1,
    });
    // The drops really happened, and some retried marks were answered as duplicates of their first try.
    expect(report.drops).toBeGreaterThan(0);
  });
});
