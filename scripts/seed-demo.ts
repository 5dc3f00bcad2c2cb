/**
 * `npm run seed:demo [-- --simulate]`: write the demo competition through ContestService into the
 * configured store (REDIS_URL or PODIUM_DATA_DIR) and open its preliminary rounds; with
 * --simulate, also judge the preliminaries at full speed. Fixed opIds make it idempotent: running
 * it again changes nothing (a changed generator yields a new set-up opId).
 */
import { createHash } from 'node:crypto';
import { loadConfig } from '../server/config.ts';
import type { Actor } from '../server/domain/actor.ts';
import { ContestService } from '../server/domain/service.ts';
import { demoCompetition } from '../server/demo/demoCompetition.ts';
import { simulateJudging } from '../server/demo/simulate.ts';
import { openStore } from '../server/store/index.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'seed-demo' };

async function main(): Promise<void> {
  const config = loadConfig();
  const { store, description } = await openStore(
    config.redisUrl === undefined
      ? { dataDir: config.dataDir }
      : { redisUrl: config.redisUrl, dataDir: config.dataDir },
  );
  try {
    console.log(description);
    const service = new ContestService({ store });
    const setup = demoCompetition();
    const digest = createHash('sha256').update(JSON.stringify(setup)).digest('hex').slice(0, 16);
    const put = await service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: `seed-demo-setup-${digest}`, competition: setup },
    });
    for (const event of setup.events) {
      await service.execute(ORGANISER, {
        name: 'round.state',
        payload: {
          opId: `seed-demo-open-${event.id}`,
          competitionId: setup.id,
          eventId: event.id,
          roundId: 'prelim',
          state: 'open',
        },
      });
    }
    const contestants = setup.contestants.length;
    console.log(
      `${put.duplicate ? 'Already seeded' : 'Seeded'} "${setup.name}" (${setup.id}): ${setup.events.length} events, ` +
        `${contestants} contestants, ${setup.judges.length} judges; preliminary rounds open.`,
    );
    if (process.argv.includes('--simulate')) {
      const started = performance.now();
      const sent = await simulateJudging(service, setup, { roundId: 'prelim', runId: 'seed', close: false });
      console.log(
        `Simulated the preliminaries: ${sent} commands in ${Math.round(performance.now() - started)} ms.`,
      );
    }
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
