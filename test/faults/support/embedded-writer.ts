/**
 * Child process for test/faults/embedded-crash.test.ts: opens the embedded store in the folder
 * given as argv[2], seeds the chaos competition argv[3] through the real ContestService, then
 * submits marks from 8 concurrent writers forever, printing `ack <opId> <logId>` on stdout for each
 * acknowledged one — until the test SIGKILLs it.
 */
import { writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { seededRandom } from '../../../server/demo/random.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { createLogger } from '../../../server/logger.ts';
import { EmbeddedStore } from '../../../server/store/embedded/embeddedStore.ts';
import { commandSchemas } from '../../../shared/commands.ts';
import { CHAOS_ROUND, chaosCompetition } from '../../../scripts/chaos/seed.ts';

const WRITERS = 8;

async function main(): Promise<void> {
  const [dir, competitionId] = process.argv.slice(2);
  if (dir === undefined || competitionId === undefined)
    throw new Error('usage: embedded-writer <dir> <competitionId>');
  const store = await EmbeddedStore.open(dir);
  const service = new ContestService({ store, logger: createLogger('silent') });
  const competition = chaosCompetition(competitionId, 3, 1);
  const organiser: Actor = { kind: 'organiser', id: 'crash-test' };
  await service.execute(organiser, {
    name: 'setup.put',
    payload: commandSchemas['setup.put'].parse({ opId: randomUUID(), competition }),
  });
  for (const event of competition.events) {
    await service.execute(organiser, {
      name: 'round.state',
      payload: commandSchemas['round.state'].parse({
        opId: randomUUID(),
        competitionId,
        eventId: event.id,
        roundId: CHAOS_ROUND,
        state: 'open',
      }),
    });
  }
  writeSync(1, 'ready\n');

  const writer = async (w: number): Promise<never> => {
    const rng = seededRandom(w);
    for (let i = 0; ; i++) {
      const judge = rng.pick(competition.judges);
      const eventId = judge.eventIds[0] ?? '';
      const event = competition.events.find((e) => e.id === eventId);
      const criterion = event?.criteria.find((c) => c.kind === 'judged');
      if (event === undefined || criterion === undefined)
        throw new Error(`no judged criterion in ${eventId}`);
      const contestant = rng.pick(competition.contestants.filter((c) => c.eventId === eventId));
      const opId = `crash-w${w}-${i}`;
      const actor: Actor = { kind: 'judge', judgeId: judge.id, competitionId, role: judge.role };
      const value = String(
        criterion.min +
          rng.int(0, Math.floor((criterion.max - criterion.min) / criterion.step)) * criterion.step,
      );
      const result = await service.execute(actor, {
        name: 'marks.submit',
        payload: commandSchemas['marks.submit'].parse({
          opId,
          competitionId,
          eventId,
          roundId: CHAOS_ROUND,
          contestantId: contestant.id,
          marks: { [criterion.id]: value },
        }),
      });
      // Synchronous, so a line is in the pipe before the next write can even start.
      writeSync(1, `ack ${opId} ${result.logId}\n`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `embedded-writer failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
