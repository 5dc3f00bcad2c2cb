/**
 * Redis migration 1 → 2: format-1 data has no `podium:format` key and its keys are those of
 * format 2, so the step only stamps the key. Running it again changes nothing.
 */
import type { Migration } from '../../format.ts';
import { FORMAT_KEY } from '../keys.ts';
import type { RedisMigrationContext } from './context.ts';

/** Stamp `podium:format` = 2. */
export const stampFormatKey: Migration<RedisMigrationContext> = {
  from: 1,
  to: 2,
  description: `set ${FORMAT_KEY} (the keys of format 1 are read unchanged)`,
  async run({ redis }) {
    await redis.set(FORMAT_KEY, '2');
  },
};
