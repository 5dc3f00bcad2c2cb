/** The fan-out options shared by bench:fanout and bench:cluster, with small, safe defaults. */
import { numberOption, readOptions, type OptionSpec } from '../lib/args.ts';
import type { FanoutOptions } from './run.ts';
import { defaultWorkers } from './run.ts';

export const FANOUT_SPEC: OptionSpec = {
  viewers: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  servers: { type: 'string' },
  'lean-ratio': { type: 'string' },
  contestants: { type: 'string' },
  judges: { type: 'string' },
  workers: { type: 'string' },
  drain: { type: 'string' },
  targets: { type: 'string' },
  'servers-list': { type: 'string' },
  'find-max': { type: 'boolean' },
  steps: { type: 'string' },
  'max-viewers': { type: 'string' },
  refine: { type: 'string' },
};

/** Parse argv into fan-out options (everything but the Redis URL) plus the raw values. */
export function fanoutOptions(): {
  options: Omit<FanoutOptions, 'redisUrl'>;
  values: Record<string, unknown>;
} {
  const values = readOptions(FANOUT_SPEC);
  const rate = numberOption(values, 'rate', 50);
  const leanRatio = numberOption(values, 'lean-ratio', 0.98);
  if (leanRatio > 1) throw new Error('--lean-ratio must be at most 1');
  const duration = numberOption(values, 'duration', 10);
  if (rate * duration > 1_000_000) throw new Error('at most 1,000,000 marks per run (rate × duration)');
  return {
    values,
    options: {
      viewers: Math.round(numberOption(values, 'viewers', 1000)),
      rate,
      duration,
      servers: Math.round(numberOption(values, 'servers', 1)),
      leanRatio,
      contestants: Math.round(numberOption(values, 'contestants', 50)),
      // A judge on a tablet marks at most a few times a second; spread the rate over enough judges.
      judges: Math.round(numberOption(values, 'judges', Math.max(3, Math.ceil(rate / 2)))),
      workers: Math.round(numberOption(values, 'workers', defaultWorkers())),
      drainMs: numberOption(values, 'drain', 3) * 1000,
    },
  };
}
