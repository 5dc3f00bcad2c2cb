/**
 * A contest held at three venues, scored live through ContestService: the venue boards hold
 * exactly each venue's contestants, with the same rows as the event's boards, and the rebuild
 * (the same pure projection over the log) finds zero differences, in both stores.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withVenues } from '../../../server/demo/demoVenues.ts';
import { simulateJudging } from '../../../server/demo/simulate.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import type { Store } from '../../../server/store/index.ts';
import { ORGANISER, putSetup, smallCompetition, storeKinds } from './helpers.ts';

describe.each(storeKinds(inject('redisUrl')))('venue boards equal their rebuild ($name store)', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(async () => close());

  it('keeps each venue’s board to its contestants and rebuilds with zero differences', async () => {
    const service = new ContestService({ store });
    const setup = withVenues(smallCompetition(6), 3);
    const cid = setup.id;
    await service.execute(ORGANISER, putSetup(setup));
    await simulateJudging(service, setup, { roundId: 'prelim', eventIds: ['welding'], runId: 'v' });

    const event = await store.top(cid, 'welding|prelim|individual', 0, 100);
    expect(event).toHaveLength(6);
    for (const venueId of ['v1', 'v2', 'v3']) {
      const rows = await store.top(cid, `welding|prelim|individual|@${venueId}`, 0, 100);
      const ids = setup.contestants.filter((c) => c.eventId === 'welding' && c.venueId === venueId);
      expect(rows.map((r) => r.id).sort()).toEqual(ids.map((c) => c.id).sort());
      // The venue rank counts only the venue; totals are the event board's.
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_r, i) => i + 1));
      for (const row of rows) expect(row.total).toBe(event.find((e) => e.id === row.id)?.total);
    }
    const report = await rebuild(store, cid);
    expect(report.differences).toEqual([]);
    expect(report.boards).toBeGreaterThanOrEqual(8);
  });

  it('keeps a region’s board (two of three venues in one region) to its venues’ contestants, equal to its rebuild', async () => {
    const service = new ContestService({ store });
    const base = withVenues(smallCompetition(6), 3);
    const setup = {
      ...base,
      venues: (base.venues ?? []).map((v) => ({ ...v, region: v.id === 'v3' ? '湖北' : '河南' })),
    };
    await service.execute(ORGANISER, putSetup(setup));
    await simulateJudging(service, setup, { roundId: 'prelim', eventIds: ['welding'], runId: 'r' });
    const event = await store.top(setup.id, 'welding|prelim|individual', 0, 100);
    const region = await store.top(
      setup.id,
      `welding|prelim|individual|@@${encodeURIComponent('河南')}`,
      0,
      100,
    );
    const ids = setup.contestants.filter((c) => c.eventId === 'welding' && c.venueId !== 'v3');
    expect(region.map((r) => r.id).sort()).toEqual(ids.map((c) => c.id).sort());
    for (const row of region) expect(row.total).toBe(event.find((e) => e.id === row.id)?.total);
    expect(
      await store.top(setup.id, `welding|prelim|individual|@@${encodeURIComponent('湖北')}`, 0, 100),
    ).toEqual([]);
    expect((await rebuild(store, setup.id)).differences).toEqual([]);
  });
});
