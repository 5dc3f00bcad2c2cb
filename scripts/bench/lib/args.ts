/** Command-line options of the benchmark scripts: `--name value` pairs and bare `--flag`s. */
import { parseArgs } from 'node:util';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Parse process.argv with `spec`; unknown options are an error that lists the known ones. */
export function readOptions(spec: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: process.argv.slice(2), options: spec, strict: true, allowPositionals: false })
      .values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new Error(
      `${(e as Error).message}\nknown options: ${Object.keys(spec)
        .map((k) => `--${k}`)
        .join(' ')}`,
      { cause: e },
    );
  }
}

/** A positive number option, or the default. */
export function numberOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, got "${String(raw)}"`);
  return n;
}

/** A comma-separated list of positive numbers, or the default. */
export function numberListOption(
  values: Record<string, unknown>,
  name: string,
  fallback: number[],
): number[] {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const list = String(raw).split(',').map(Number);
  if (list.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`--${name} must list positive numbers`);
  return list;
}

/** Progress for humans goes to stderr; stdout ends with the one JSON result line. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
