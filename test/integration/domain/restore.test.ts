/** ContestService.restore: an archive replayed through the service's own command path, in the competition's order. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Command } from '../../../shared/commands.ts';
import type { Competition } from '../../../shared/model.ts';
import type { ArchiveContent } from '../../../server/domain/restore.ts';
import { ContestService, type ChangeNotification } from '../../../server/domain/service.ts';
import type { Store } from '../../../server/store/index.ts';
import { judgeActor, logLength, ORGANISER, op, putSetup, smallCompetition, storeKinds } from './helpers.ts';

const MARKS = { wiring: '30', faults: '25', plc: '18.5', safety: '14' };
const BOARD = 'electrician|prelim|individual';

function submit(setup: Competition, contestantId: string): Command {
  return {
    name: 'marks.submit',
    payload: {
      opId: op(),
      competitionId: setup.id,
      eventId: 'electrician',
      roundId: 'prelim',
      contestantId,
      marks: MARKS,
    },
  };
}

async function archiveOf(store: Store, competitionId: string): Promise<ArchiveContent> {
  const log = await store.readLog(competitionId, undefined, 10_000);
  return {
    setup: (await store.getSetup(competitionId)).value,
    control: (await store.getControl(competitionId)).value,
    log: log.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actor,
      opId: e.opId,
      type: e.type,
      payload: e.payload,
    })),
  };
}

async function rowIds(service: ContestService, competitionId: string): Promise<string[]> {
  return (await service.boardSnapshot(competitionId, BOARD, 'staff')).rows.map((r) => r.id);
}

describe.each(storeKinds(inject('redisUrl')))('ContestService.restore ($name store)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(() => close());

  it('replays the archive in the competition’s lane, refuses commands meanwhile and resets every board for listeners', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(3);
    const id = setup.id;
    const judge = judgeActor(setup, 'electrician-j2');
    await service.execute(ORGANISER, putSetup(setup));
    await service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: op(), competitionId: id, eventId: 'electrician', roundId: 'prelim', state: 'open' },
    });
    await service.execute(judge, submit(setup, 'electrician-001'));
    const archive = await archiveOf(store, id);
    // Scored after the archive was taken: the restore takes it away again.
    await service.execute(judge, submit(setup, 'electrician-002'));
    expect(await rowIds(service, id)).toHaveLength(2);

    const changes: ChangeNotification[] = [];
    service.onChange((c) => changes.push(c));
    const restoring = service.restore(id, true, archive);
    await expect(service.execute(judge, submit(setup, 'electrician-003'))).rejects.toMatchObject({
      code: 'restoring',
    });
    const report = await restoring;

    expect(report).toEqual({
      entries: archive.log.length,
      verified: { setup: true, control: true, rebuildDifferences: 0 },
    });
    expect(await rowIds(service, id)).toEqual(['electrician-001']);
    expect(await logLength(store, id)).toBe(archive.log.length);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.reset).toContain(BOARD);
    expect(changes[0]?.control?.rounds['electrician|prelim']).toBe('open');
    // The service plans the next mark on the restored state.
    await service.execute(judge, submit(setup, 'electrician-002'));
    expect((await rowIds(service, id)).sort()).toEqual(['electrician-001', 'electrician-002']);
  });

  it('refuses to overwrite an existing competition without replace, changing nothing', async () => {
    const service = new ContestService({ store });
    const setup = smallCompetition(2);
    await service.execute(ORGANISER, putSetup(setup));
    const archive = await archiveOf(store, setup.id);
    const before = await logLength(store, setup.id);
    await expect(service.restore(setup.id, false, archive)).rejects.toMatchObject({ code: 'conflict' });
    expect(await logLength(store, setup.id)).toBe(before);
  });
});
