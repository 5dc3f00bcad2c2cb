/**
 * `npm run chaos [-- --judges 20 --marks 50 --servers 2 --seed N]`: proves Podium loses nothing
 * acknowledged while server processes are SIGKILLed, Redis restarts and judges' connections drop.
 * Progress goes to stderr; the last stdout line is the JSON result. Exits 1 unless nothing
 * acknowledged was lost, duplicated or changed (see scripts/chaos/run.ts and docs/RELIABILITY.md).
 */
import { parseArgs } from 'node:util';
import { passed, runChaos, type ChaosOptions } from './chaos/run.ts';

function positive(values: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const names = [
    'judges',
    'marks',
    'servers',
    'seed',
    'server-kills',
    'redis-restarts',
    'drop-rate',
    'pace-ms',
  ];
  const { values } = parseArgs({
    options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    strict: true,
  });
  const v = values as Record<string, string | undefined>;
  const options: ChaosOptions = {
    judges: positive(v, 'judges', 20),
    marks: positive(v, 'marks', 50),
    servers: Math.max(1, positive(v, 'servers', 2)),
    seed: positive(v, 'seed', Math.floor(Math.random() * 1_000_000)),
    serverKills: positive(v, 'server-kills', 2),
    redisRestarts: positive(v, 'redis-restarts', 1),
    dropRate: positive(v, 'drop-rate', 0.1),
    paceMs: positive(v, 'pace-ms', 250),
    deadlineMs: 90_000,
    log: (message) => process.stderr.write(`${message}\n`),
  };
  const report = await runChaos(options);
  for (const problem of report.problems) process.stderr.write(`  ${problem}\n`);
  const { problems: _problems, ...numbers } = report;
  process.stdout.write(`${JSON.stringify(numbers)}\n`);
  process.exitCode = passed(report, options) ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `chaos run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
