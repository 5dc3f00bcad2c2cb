/**
 * The migration runner (server/store/format.ts) on an in-memory "store": steps run in order from
 * the format found, each logged; a step that does not reach its target, or a missing step, stops
 * the start with an error; nothing runs on current data. The real steps are tested on real data in
 * test/integration/store/format.*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EMBEDDED_MIGRATIONS } from '../../../server/store/embedded/migrations/index.ts';
import { runMigrations, STORE_FORMAT, type Migration } from '../../../server/store/format.ts';
import { REDIS_MIGRATIONS } from '../../../server/store/redis/migrations/index.ts';

interface Fake {
  format: number;
  ran: string[];
}

function step(from: number, reaches = from + 1): Migration<Fake> {
  return {
    from,
    to: from + 1,
    description: `step ${from}`,
    run: async (ctx) => {
      ctx.ran.push(`${from}->${from + 1}`);
      ctx.format = reaches;
    },
  };
}

function run(ctx: Fake, migrations: Array<Migration<Fake>>, target: number): Promise<void> {
  const lines: string[] = [];
  return runMigrations({
    what: 'the fake store',
    migrations,
    found: ctx.format,
    ctx,
    logger: { warn: (m) => lines.push(m), info: (m) => lines.push(m) },
    readFormat: async () => ctx.format,
    target,
  });
}

describe('migration runner', () => {
  it('runs every step from the format found to the target, in order, and logs each', async () => {
    const ctx: Fake = { format: 1, ran: [] };
    const lines: string[] = [];
    await runMigrations({
      what: 'the fake store',
      migrations: [step(3), step(1), step(2)],
      found: 1,
      ctx,
      logger: { warn: () => undefined, info: (m) => lines.push(m) },
      readFormat: async () => ctx.format,
      target: 4,
    });
    expect(ctx.ran).toEqual(['1->2', '2->3', '3->4']);
    expect(lines.filter((l) => l.startsWith('Migrating'))).toEqual([
      'Migrating the fake store from stored-data format 1 to 2: step 1',
      'Migrating the fake store from stored-data format 2 to 3: step 2',
      'Migrating the fake store from stored-data format 3 to 4: step 3',
    ]);
    expect(
      lines.filter((l) => /^Migrated the fake store to stored-data format \d in \d+ ms\.$/.test(l)),
    ).toHaveLength(3);
  });

  it('starts from the format found and runs nothing on data already at the target', async () => {
    const middle: Fake = { format: 2, ran: [] };
    await run(middle, [step(1), step(2)], 3);
    expect(middle.ran).toEqual(['2->3']);
    const current: Fake = { format: 3, ran: [] };
    await run(current, [step(1), step(2)], 3);
    expect(current.ran).toEqual([]);
  });

  it('stops when a step does not leave its target format (it will run again next start)', async () => {
    const ctx: Fake = { format: 1, ran: [] };
    await expect(run(ctx, [step(1, 1), step(2)], 3)).rejects.toThrow(
      /the migration to format 2 left format 1; nothing else was changed/,
    );
    expect(ctx.ran).toEqual(['1->2']);
  });

  it('stops when no step starts at the format found', async () => {
    await expect(run({ format: 1, ran: [] }, [step(2)], 3)).rejects.toThrow(
      /no migration from stored-data format 1/,
    );
  });

  it('has, for both stores, one numbered step per format from the un-versioned 1 to the current one', () => {
    for (const list of [EMBEDDED_MIGRATIONS, REDIS_MIGRATIONS]) {
      expect(list.map((m) => [m.from, m.to])).toEqual(
        Array.from({ length: STORE_FORMAT - 1 }, (_, i) => [i + 1, i + 2]),
      );
    }
  });
});
