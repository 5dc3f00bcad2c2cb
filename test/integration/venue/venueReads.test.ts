/**
 * What the pages read about venues (shared/venueStatus.ts), a real hub and venue node over HTTP:
 *  - the hub's venue overview shows the venue's marks waiting as the venue last reported them, and
 *    none once they were forwarded (regression: the count from before the batch stayed), with the
 *    judges online the venue reports on every state poll;
 *  - the node counts its marks waiting while the hub is unreachable (regression: the count froze);
 *  - refused venue commands: the organiser sees all, a venue's chief judge only their venue's,
 *    another judge is refused; on the node its chief judge may read them, a judge may not.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { VenueKeys } from '../../../server/venue/venueKeys.ts';
import type { Competition } from '../../../shared/model.ts';
import type { RefusalsResponse, VenuesResponse } from '../../../shared/venueStatus.ts';
import { LinkProxy } from '../../../scripts/chaos/linkProxy.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { seedVenueContest, twoVenueContest } from '../../support/venueContest.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'test' };

async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('venue reads for the pages', () => {
  let hub: TestPodium;
  let venue: TestPodium;
  let proxy: LinkProxy;
  let setup: Competition;
  const target = () => ({ competitionId: setup.id, eventId: 'welding', roundId: 'prelim' });
  const judgeAt = (venueId: string, role: 'judge' | 'chief'): Extract<Actor, { kind: 'judge' }> => {
    const j = setup.judges.find(
      (x) => x.venueId === venueId && x.eventIds.includes('welding') && x.role === role,
    );
    if (j === undefined) throw new Error('no judge');
    return { kind: 'judge', judgeId: j.id, competitionId: setup.id, role };
  };
  const contestantAt = (venueId: string) =>
    setup.contestants.find((c) => c.eventId === 'welding' && c.venueId === venueId)!;
  const mark = (venueId: string) => ({
    name: 'marks.submit' as const,
    payload: {
      ...target(),
      opId: randomUUID(),
      contestantId: contestantAt(venueId).id,
      marks: { appearance: '20' },
    },
  });

  beforeAll(async () => {
    hub = await startTestPodium();
    setup = twoVenueContest('vr');
    await seedVenueContest(hub, setup);
    const key = await new VenueKeys(hub.store).issue({ competitionId: setup.id, venueId: 'v1' });
    proxy = await LinkProxy.open(() => hub.port);
    venue = await startTestPodium({ venueLink: { hubUrl: `http://127.0.0.1:${proxy.port}`, key } });
    await until('the venue resynced', () => (venue.venueNode?.status().resyncs ?? 0) >= 1);
  });
  afterAll(async () => {
    await venue.stop();
    await hub.stop();
    await proxy.close();
  });

  const get = async <T>(p: TestPodium, path: string, token: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${p.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const overview = async () =>
    (
      await get<VenuesResponse>(hub, `/competitions/${setup.id}/venues`, await hub.organiserToken())
    ).body.venues.find((v) => v.id === 'v1')!;

  it('shows marks waiting while the venue is cut off and none once forwarded', async () => {
    proxy.sever();
    await until('the node sees the cut', () => venue.venueNode!.status().linkUp === false);
    for (let i = 0; i < 3; i++) await venue.service.execute(judgeAt('v1', 'judge'), mark('v1'));
    await until('the node counts what waits during the cut', () => venue.venueNode!.status().waiting === 3);
    proxy.restore();
    await until('forwarded and in sync', () => {
      const s = venue.venueNode!.status();
      return s.waiting === 0 && s.inSync;
    });
    // Two more state polls: the hub's view is the venue's latest report.
    await new Promise((r) => setTimeout(r, 1_200));
    const v1 = await overview();
    expect(v1).toMatchObject({ linkUp: true, waiting: 0, judgesOnline: 0, hasKey: true, refused: 0 });
  });

  it('lists refusals for the organiser and the venue’s chief judge only', async () => {
    proxy.sever();
    await until('cut', () => venue.venueNode!.status().linkUp === false);
    await hub.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { ...target(), opId: randomUUID(), state: 'closed' },
    });
    await venue.service.execute(judgeAt('v1', 'judge'), mark('v1'));
    proxy.restore();
    await until('refused', () => venue.venueNode!.status().refused === 1);

    const path = `/competitions/${setup.id}/venue-refusals`;
    const organiser = await get<RefusalsResponse>(hub, path, await hub.organiserToken());
    expect(organiser.body.refusals).toHaveLength(1);
    expect(organiser.body.refusals[0]).toMatchObject({
      venueId: 'v1',
      code: 'round_not_open',
      contestantId: contestantAt('v1').id,
    });
    const chiefV1 = await get<RefusalsResponse>(
      hub,
      path,
      await hub.judgeToken(setup.id, judgeAt('v1', 'chief').judgeId),
    );
    expect(chiefV1.body.refusals).toHaveLength(1);
    const chiefV2 = await get<RefusalsResponse>(
      hub,
      path,
      await hub.judgeToken(setup.id, judgeAt('v2', 'chief').judgeId),
    );
    expect(chiefV2.status).toBe(200);
    expect(chiefV2.body.refusals).toHaveLength(0);
    const plain = await get(hub, path, await hub.judgeToken(setup.id, judgeAt('v1', 'judge').judgeId));
    expect(plain.status).toBe(403);
    expect((await overview()).refused).toBe(1);

    // On the node: its chief judge reads them, a judge may not.
    const nodeChief = await get<{ refusals: unknown[] }>(
      venue,
      '/venue/refusals',
      await venue.judgeToken(setup.id, judgeAt('v1', 'chief').judgeId),
    );
    expect(nodeChief.body.refusals).toHaveLength(1);
    const nodeJudge = await get(
      venue,
      '/venue/refusals',
      await venue.judgeToken(setup.id, judgeAt('v1', 'judge').judgeId),
    );
    expect(nodeJudge.status).toBe(403);
  });
});
