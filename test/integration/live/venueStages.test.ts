/**
 * Stages per venue over real sockets (docs/VENUES.md "Stages"): two venues have their own
 * contestant on stage at once; every screen gets each `stage:update` with its venue and a venue's
 * screen shows its own (shared/stages.ts, as the pages do); a judge's worklist says "on stage" by
 * their own venue's stage; clearing one venue leaves the other; a bad venue changes nothing; and a
 * stage set at the hub reaches the venue's node, its screens and tablets without a full resync
 * (one `venue.stages` entry in the node's log, which rebuilds and restores).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { replayArchive } from '../../../server/domain/restore.ts';
import { MemoryStore } from '../../../server/store/memory/memoryStore.ts';
import { VenueKeys } from '../../../server/venue/venueKeys.ts';
import type { JudgeSheetLine, StageState } from '../../../shared/events.ts';
import type { Competition } from '../../../shared/model.ts';
import { stageFor } from '../../../shared/stages.ts';
import { http } from '../../support/fixtures.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { seedVenueContest, twoVenueContest, venueInSync } from '../../support/venueContest.ts';
import { closeSockets, connected, next, request, sleep, stageScreen } from './fixtures.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'test' };

const venueSetup = (): Competition => twoVenueContest('vs');
const contestantAt = (setup: Competition, venueId: string, n = 0): string => {
  const c = setup.contestants.filter((x) => x.eventId === 'welding' && x.venueId === venueId)[n];
  if (c === undefined) throw new Error(`no contestant at ${venueId}`);
  return c.id;
};
const judgeAt = (setup: Competition, venueId: string): string => {
  const j = setup.judges.find(
    (x) => x.venueId === venueId && x.role === 'judge' && x.eventIds.includes('welding'),
  );
  if (j === undefined) throw new Error(`no judge at ${venueId}`);
  return j.id;
};

describe.each([
  ['embedded', undefined],
  ['redis', inject('redisUrl')],
] as const)('stages per venue on the %s store', (_name, redisUrl) => {
  let podium: TestPodium;
  let token: string;

  beforeAll(async () => {
    podium = await startTestPodium(redisUrl ? { redisUrl } : {});
    token = await podium.organiserToken();
  });
  afterAll(async () => {
    await podium.stop();
  });
  afterEach(() => closeSockets());

  async function stageSet(competitionId: string, payload: Record<string, unknown>) {
    const json = { opId: randomUUID(), competitionId, eventId: 'welding', roundId: 'prelim', ...payload };
    for (;;) {
      const answer = await http(podium.url, `/api/competitions/${competitionId}/commands/stage.set`, {
        method: 'POST',
        token,
        json,
      });
      if (answer.status !== 429) return answer;
      await sleep(Number(answer.headers.get('retry-after') ?? '1') * 1_000);
    }
  }

  it('keeps one contestant on stage per venue, each venue screen showing its own', async () => {
    const setup = venueSetup();
    await seedVenueContest(podium, setup);
    const v1 = await stageScreen(podium.url, setup.id);
    const v2 = await stageScreen(podium.url, setup.id);
    const [a, b] = [contestantAt(setup, 'v1'), contestantAt(setup, 'v2')];

    const atV1 = next<StageState>(v1.socket, 'stage:update', (s) => s.contestantId === a);
    expect((await stageSet(setup.id, { contestantId: a })).status).toBe(200);
    expect(await atV1).toMatchObject({ venueId: 'v1', contestantId: a, roundId: 'prelim' });
    const atV2 = next<StageState>(v2.socket, 'stage:update', (s) => s.contestantId === b);
    expect((await stageSet(setup.id, { contestantId: b })).status).toBe(200);
    expect(await atV2).toMatchObject({ venueId: 'v2', contestantId: b });

    // Each venue's screen its own stage; the event-wide screen the one that changed last.
    expect(stageFor(v1.stages(), 'welding', 'v1')?.contestantId).toBe(a);
    expect(stageFor(v2.stages(), 'welding', 'v2')?.contestantId).toBe(b);
    expect(stageFor(v2.stages(), 'welding')?.contestantId).toBe(b);

    // A screen opened now lists every stage in its first answer, the newest last.
    const later = await stageScreen(podium.url, setup.id);
    const listed = Object.values(later.stages()).filter((s) => s.eventId === 'welding');
    expect(listed.map((s) => [s.venueId ?? '-', s.contestantId])).toEqual([
      ['-', null],
      ['v1', a],
      ['v2', b],
    ]);

    // A judge at v2 sees v2's contestant on stage, not v1's.
    const judgeToken = await podium.judgeToken(setup.id, judgeAt(setup, 'v2'));
    const tablet = await connected(podium.url, '/judge', { auth: { token: judgeToken } });
    const sheets = await request<{ lines: JudgeSheetLine[] }>(tablet, 'judge:sheets', {
      eventId: 'welding',
      roundId: 'prelim',
    });
    if (!sheets.ok) throw new Error(sheets.code);
    const onStage = sheets.lines.filter((l) => l.status === 'on_stage').map((l) => l.contestantId);
    expect(onStage).toEqual([b]);

    // Clearing v1's stage leaves v2's; a venue not in the set-up changes nothing.
    const cleared = next<StageState>(v2.socket, 'stage:update', (s) => s.venueId === 'v1');
    expect((await stageSet(setup.id, { contestantId: null, venueId: 'v1' })).status).toBe(200);
    expect(await cleared).toMatchObject({ venueId: 'v1', contestantId: null });
    expect(stageFor(v2.stages(), 'welding', 'v2')?.contestantId).toBe(b);
    const bad = await stageSet(setup.id, { contestantId: null, venueId: 'nowhere' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_payload');
    const wrong = await stageSet(setup.id, { contestantId: a, venueId: 'v2' });
    expect(wrong.status).toBe(400);
    expect((await podium.store.getControl(setup.id)).value).toMatchObject({
      stage: { 'welding@v1': { contestantId: null }, 'welding@v2': { contestantId: b } },
    });
    expect((await rebuild(podium.store, setup.id)).differences).toEqual([]);

    // Finalizing the round empties its stage at every venue, and open screens are told so
    // (regression: they kept showing the finalized contestant until they watched again).
    expect((await stageSet(setup.id, { contestantId: a })).status).toBe(200);
    const emptied = (venueId: string) =>
      next<StageState>(v1.socket, 'stage:update', (s) => s.venueId === venueId && s.contestantId === null);
    const [v1Empty, v2Empty] = [emptied('v1'), emptied('v2')];
    await podium.service.execute(ORGANISER, {
      name: 'round.finalize',
      payload: { opId: randomUUID(), competitionId: setup.id, eventId: 'welding', roundId: 'prelim' },
    });
    expect(await v1Empty).toMatchObject({ roundId: 'prelim', contestantId: null });
    expect(await v2Empty).toMatchObject({ roundId: 'prelim', contestantId: null });
    expect(stageFor(v1.stages(), 'welding', 'v1')?.contestantId ?? null).toBeNull();
    expect(stageFor(v1.stages(), 'welding', 'v2')?.contestantId ?? null).toBeNull();
  });
});

describe('a stage set at the hub reaches the venue node', () => {
  let hub: TestPodium;
  let venue: TestPodium;
  let setup: Competition;

  beforeAll(async () => {
    hub = await startTestPodium();
    setup = venueSetup();
    await seedVenueContest(hub, setup);
    const key = await new VenueKeys(hub.store).issue({ competitionId: setup.id, venueId: 'v1' });
    venue = await startTestPodium({ venueLink: { hubUrl: hub.url, key } });
  });
  afterAll(async () => {
    closeSockets();
    await venue.stop();
    await hub.stop();
  });

  const inSync = (what: string) => venueInSync(venue, what);

  function stageSetAtHub(contestantId: string | null, venueId?: string) {
    return hub.service.execute(ORGANISER, {
      name: 'stage.set',
      payload: {
        opId: randomUUID(),
        competitionId: setup.id,
        eventId: 'welding',
        roundId: 'prelim',
        contestantId,
        ...(venueId === undefined ? {} : { venueId }),
      },
    });
  }

  it('puts the venue’s contestant on stage on the node’s screens and tablets without a resync, and not another venue’s', async () => {
    const end = Date.now() + 20_000;
    while ((venue.venueNode?.status().resyncs ?? 0) < 1) {
      if (Date.now() > end) throw new Error('the venue never resynced');
      await sleep(100);
    }
    await inSync('after taking the set-up');
    const before = venue.venueNode?.status();
    const nodeScreen = await stageScreen(venue.url, setup.id);
    const judgeId = judgeAt(setup, 'v1');
    const tablet = await connected(venue.url, '/judge', {
      auth: { token: await venue.judgeToken(setup.id, judgeId) },
    });
    const a = contestantAt(setup, 'v1');
    const arrived = next<StageState>(nodeScreen.socket, 'stage:update', (s) => s.contestantId === a, 20_000);
    const told = next<StageState>(tablet, 'stage:update', (s) => s.contestantId === a, 20_000);
    await stageSetAtHub(a);
    expect(await arrived).toMatchObject({ venueId: 'v1', contestantId: a });
    expect(await told).toMatchObject({ venueId: 'v1', contestantId: a });
    expect(stageFor(nodeScreen.stages(), 'welding', 'v1')?.contestantId).toBe(a);
    const sheets = await request<{ lines: JudgeSheetLine[] }>(tablet, 'judge:sheets', {
      eventId: 'welding',
      roundId: 'prelim',
    });
    if (!sheets.ok) throw new Error(sheets.code);
    expect(sheets.lines.filter((l) => l.status === 'on_stage').map((l) => l.contestantId)).toEqual([a]);
    await inSync('after the stage');
    // Taken in as the hub holds it, by one entry in the node's log — not by replaying the hub's log
    // (before: a full resync per stage change, tablets told "restoring").
    expect(venue.venueNode?.status().resyncs).toBe(before?.resyncs);
    expect(venue.venueNode?.status().stagesTaken).toBe((before?.stagesTaken ?? 0) + 1);
    const hubStage = (await hub.store.getControl(setup.id)).value.stage as Record<string, unknown>;
    const nodeStage = (await venue.store.getControl(setup.id)).value.stage as Record<string, unknown>;
    expect(nodeStage['welding@v1']).toEqual(hubStage['welding@v1']);
    const taken = (await venue.store.readLog(setup.id, undefined, 10_000)).filter(
      (e) => e.type === 'venue.stages',
    );
    expect(taken.map((e) => [e.actor, e.payload])).toEqual([
      ['venue:hub', { competitionId: setup.id, stages: { 'welding@v1': hubStage['welding@v1'] } }],
    ]);
    // Every ranking and the control state still replay from the node's own log, and its archive
    // restores elsewhere (replayArchive checks set-up, control and the rebuild).
    expect((await rebuild(venue.store, setup.id)).differences).toEqual([]);
    const nodeArchive = {
      setup: (await venue.store.getSetup(setup.id)).value,
      control: (await venue.store.getControl(setup.id)).value,
      log: await venue.store.readLog(setup.id, undefined, 10_000),
    };
    const restored = await replayArchive(new MemoryStore(), setup.id, nodeArchive);
    expect(restored.verified).toEqual({ setup: true, control: true, rebuildDifferences: 0 });

    // Clearing the venue's stage at the hub reaches the node the same way.
    const cleared = next<StageState>(
      nodeScreen.socket,
      'stage:update',
      (s) => s.venueId === 'v1' && s.contestantId === null,
      20_000,
    );
    await stageSetAtHub(null, 'v1');
    await cleared;
    await inSync('after clearing the stage');
    expect(venue.venueNode?.status().resyncs).toBe(before?.resyncs);
    expect(venue.venueNode?.status().stagesTaken).toBe((before?.stagesTaken ?? 0) + 2);

    // Another venue's stage changes nothing here (its digest leaves it out).
    await stageSetAtHub(contestantAt(setup, 'v2'));
    await inSync('after another venue’s stage');
    expect(venue.venueNode?.status().resyncs).toBe(before?.resyncs);
    expect(venue.venueNode?.status().stagesTaken).toBe((before?.stagesTaken ?? 0) + 2);

    // Anything else still resyncs: the hub closing the round.
    await hub.service.execute(ORGANISER, {
      name: 'round.state',
      payload: {
        opId: randomUUID(),
        competitionId: setup.id,
        eventId: 'welding',
        roundId: 'prelim',
        state: 'closed',
      },
    });
    await inSync('after the round closed');
    expect(venue.venueNode?.status().resyncs).toBeGreaterThan(before?.resyncs ?? 0);
    expect((await venue.store.getControl(setup.id)).value).toMatchObject({
      rounds: { 'welding|prelim': 'closed' },
    });
  }, 60_000);
});
