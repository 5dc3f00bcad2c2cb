/**
 * A stage set at a venue node's own console (docs/VENUES.md "Stages set at the venue"), with a real
 * hub and node and the node's line to the hub a proxy the test cuts:
 *  - it stays on the node's screen across link cycles and reaches the hub (its screens, its log);
 *  - set while the line is cut, it stays, and reaches the hub once the line is mended;
 *  - another venue's contestant or the event-wide stage set at the node is refused by the hub,
 *    audited and listed (hub and node), then the node resyncs to the hub's stages;
 *  - a later change at the hub wins at the node, and a later one at the node wins at the hub;
 *  - a stage set at the node just as it takes the hub's stages in is not undone.
 * Before: the node took the hub's stages at its next link cycle and the stage flipped back.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LinkProxy } from '../../../scripts/chaos/linkProxy.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { replayArchive } from '../../../server/domain/restore.ts';
import { MemoryStore } from '../../../server/store/memory/memoryStore.ts';
import { VenueKeys } from '../../../server/venue/venueKeys.ts';
import type { StageState } from '../../../shared/events.ts';
import type { Competition } from '../../../shared/model.ts';
import { stageFor } from '../../../shared/stages.ts';
import type { RefusalsResponse } from '../../../shared/venueStatus.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { seedVenueContest, twoVenueContest, venueInSync } from '../../support/venueContest.ts';
import { closeSockets, collect, next, sleep, stageScreen } from './fixtures.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'test' };
/** The venue's own organiser, signed in at the node's console. */
const VENUE_ORGANISER: Actor = { kind: 'organiser', id: 'venue-admin' };

async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await sleep(50);
  }
}

describe('a stage set at the venue node', () => {
  let hub: TestPodium;
  let venue: TestPodium;
  let proxy: LinkProxy;
  let setup: Competition;

  beforeAll(async () => {
    hub = await startTestPodium();
    setup = twoVenueContest('sf');
    await seedVenueContest(hub, setup);
    const key = await new VenueKeys(hub.store).issue({ competitionId: setup.id, venueId: 'v1' });
    proxy = await LinkProxy.open(() => hub.port);
    venue = await startTestPodium({ venueLink: { hubUrl: `http://127.0.0.1:${proxy.port}`, key } });
    await until('the venue resynced', () => (venue.venueNode?.status().resyncs ?? 0) >= 1);
    await venueInSync(venue, 'after taking the set-up');
  });
  afterAll(async () => {
    closeSockets();
    await venue.stop();
    await hub.stop();
    await proxy.close();
  });
  afterEach(() => closeSockets());

  const contestantAt = (venueId: string, n: number): string => {
    const c = setup.contestants.filter((x) => x.eventId === 'welding' && x.venueId === venueId)[n];
    if (c === undefined) throw new Error(`no contestant ${n} at ${venueId}`);
    return c.id;
  };
  const stageSet = (p: TestPodium, actor: Actor, contestantId: string | null, venueId?: string) => {
    const opId: string = randomUUID();
    const done = p.service.execute(actor, {
      name: 'stage.set',
      payload: {
        opId,
        competitionId: setup.id,
        eventId: 'welding',
        roundId: 'prelim',
        contestantId,
        ...(venueId === undefined ? {} : { venueId }),
      },
    });
    return done.then(() => opId);
  };
  const stageOf = async (p: TestPodium, key: string) =>
    ((await p.store.getControl(setup.id)).value.stage as Record<string, { contestantId: string | null }>)[
      key
    ];
  const onStageAt = async (p: TestPodium, key = 'welding@v1') => (await stageOf(p, key))?.contestantId;
  const hubHas = (contestantId: string, key = 'welding@v1') =>
    until(`the hub has ${contestantId} on ${key}`, async () => (await onStageAt(hub, key)) === contestantId);

  /** Both stores still replay every ranking and the control state from their own log. */
  async function bothReplay(): Promise<void> {
    for (const p of [hub, venue]) {
      expect((await rebuild(p.store, setup.id)).differences).toEqual([]);
      const archive = {
        setup: (await p.store.getSetup(setup.id)).value,
        control: (await p.store.getControl(setup.id)).value,
        log: await p.store.readLog(setup.id, undefined, 10_000),
      };
      const restored = await replayArchive(new MemoryStore(), setup.id, archive);
      expect(restored.verified).toEqual({ setup: true, control: true, rebuildDifferences: 0 });
    }
  }

  it('stays on the node’s screen across link cycles and reaches the hub', async () => {
    const a = contestantAt('v1', 0);
    const nodeScreen = await stageScreen(venue.url, setup.id);
    const hubScreen = await stageScreen(hub.url, setup.id);
    const atHub = next<StageState>(hubScreen.socket, 'stage:update', (s) => s.contestantId === a, 20_000);
    const seen = collect<StageState>(nodeScreen.socket, 'stage:update');
    const opId = await stageSet(venue, VENUE_ORGANISER, a);

    expect(await atHub).toMatchObject({ venueId: 'v1', contestantId: a });
    await hubHas(a);
    // Several link cycles after the hub applied it: the node never took it back.
    for (let cycle = 0; cycle < 3; cycle++) await venueInSync(venue, `cycle ${cycle} after the stage`);
    expect(await onStageAt(venue)).toBe(a);
    expect(stageFor(nodeScreen.stages(), 'welding', 'v1')?.contestantId).toBe(a);
    expect(seen.filter((s) => s.venueId === 'v1').map((s) => s.contestantId)).not.toContain(null);
    expect(seen.every((s) => s.venueId !== 'v1' || s.contestantId === a)).toBe(true);
    // The node mirrors the hub's stage, the hub's order number included.
    expect(await stageOf(venue, 'welding@v1')).toEqual(await stageOf(hub, 'welding@v1'));
    // At the hub, the venue's command with its original opId, run as the venue.
    const applied = (await hub.store.readLog(setup.id, undefined, 10_000)).filter((e) => e.opId === opId);
    expect(applied.map((e) => [e.type, e.actor])).toEqual([['stage.set', 'organiser:venue:v1']]);
    await bothReplay();
  }, 60_000);

  it('set while the line is cut, it stays at the node and reaches the hub once mended', async () => {
    const b = contestantAt('v1', 1);
    proxy.sever();
    await until('the node sees the cut', () => venue.venueNode?.status().linkUp === false);
    const nodeScreen = await stageScreen(venue.url, setup.id);
    await stageSet(venue, VENUE_ORGANISER, b);
    await until('the node counts the stage as waiting', () => venue.venueNode?.status().waiting === 1);
    expect(stageFor(nodeScreen.stages(), 'welding', 'v1')?.contestantId).toBe(b);
    expect(await onStageAt(hub)).not.toBe(b);

    proxy.restore();
    await hubHas(b);
    await venueInSync(venue, 'after the line was mended');
    expect(await onStageAt(venue)).toBe(b);
    expect(stageFor(nodeScreen.stages(), 'welding', 'v1')?.contestantId).toBe(b);
    expect(await stageOf(venue, 'welding@v1')).toEqual(await stageOf(hub, 'welding@v1'));
    expect(venue.venueNode?.status().waiting).toBe(0);
  }, 60_000);

  it('another venue’s stage or the event-wide one set at the node is refused by the hub and listed', async () => {
    const other = contestantAt('v2', 0);
    const before = venue.venueNode?.status();
    const hubV2 = await stageOf(hub, 'welding@v2');
    const hubWide = await stageOf(hub, 'welding');
    const otherOp = await stageSet(venue, VENUE_ORGANISER, other);
    const wideOp = await stageSet(venue, VENUE_ORGANISER, null);
    await until('both refused', () => venue.venueNode?.status().refused === (before?.refused ?? 0) + 2);

    // Listed for the hub's organiser, with the reason, and kept at the node for its console.
    const token = await hub.organiserToken();
    const res = await fetch(`${hub.url}/api/competitions/${setup.id}/venue-refusals`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const listed = ((await res.json()) as RefusalsResponse).refusals.filter((r) =>
      [otherOp, wideOp].includes(r.opId),
    );
    expect(listed.map((r) => [r.opId, r.type, r.code, r.venueId])).toEqual([
      [otherOp, 'stage.set', 'forbidden', 'v1'],
      [wideOp, 'stage.set', 'forbidden', 'v1'],
    ]);
    expect(listed[0]?.message).toContain(`performs at venue v2`);
    expect(listed[1]?.message).toContain('event-wide');
    const audit = (await hub.store.readLog(setup.id, undefined, 10_000)).filter(
      (e) => e.type === 'venue.refused',
    );
    expect(audit.map((e) => (e.payload as { opId: string }).opId)).toEqual([otherOp, wideOp]);
    expect((await venue.venueNode?.refusals())?.map((r) => [r.opId, r.code])).toEqual([
      [otherOp, 'forbidden'],
      [wideOp, 'forbidden'],
    ]);
    // The hub's stages are untouched, and the node returns to them (a resync) instead of keeping
    // another venue's contestant on stage.
    expect(await stageOf(hub, 'welding@v2')).toEqual(hubV2);
    expect(await stageOf(hub, 'welding')).toEqual(hubWide);
    await until('the node resynced', () => (venue.venueNode?.status().resyncs ?? 0) > (before?.resyncs ?? 0));
    await venueInSync(venue, 'after the refusal');
    expect(await stageOf(venue, 'welding@v2')).toEqual(hubV2);
    expect(await stageOf(venue, 'welding')).toEqual(hubWide);
    await bothReplay();
  }, 60_000);

  it('converges to the last change the hub applied, at either end', async () => {
    const [a, c] = [contestantAt('v1', 0), contestantAt('v1', 2)];
    await stageSet(venue, VENUE_ORGANISER, a);
    await hubHas(a);
    await venueInSync(venue, 'after the node’s stage');

    // A later change at the hub wins at the node.
    const nodeScreen = await stageScreen(venue.url, setup.id);
    const arrived = next<StageState>(nodeScreen.socket, 'stage:update', (s) => s.contestantId === c, 20_000);
    await stageSet(hub, ORGANISER, c);
    await arrived;
    await venueInSync(venue, 'after the hub’s stage');
    expect(await onStageAt(venue)).toBe(c);

    // And a later one at the node wins at the hub; clearing the venue's stage travels the same way.
    await stageSet(venue, VENUE_ORGANISER, a);
    await hubHas(a);
    await stageSet(venue, VENUE_ORGANISER, null, 'v1');
    await until('the hub cleared v1', async () => (await onStageAt(hub)) === null);
    await venueInSync(venue, 'after clearing');
    expect(await stageOf(venue, 'welding@v1')).toEqual(await stageOf(hub, 'welding@v1'));
    expect(stageFor(nodeScreen.stages(), 'welding', 'v1')?.contestantId ?? null).toBeNull();
    await bothReplay();
  }, 60_000);

  it('does not undo a stage set at the node between the comparison and taking the hub’s stages', async () => {
    const [a, b] = [contestantAt('v1', 0), contestantAt('v1', 1)];
    // The venue organiser's stage lands just as the node takes the hub's stages in.
    const service = venue.service;
    const take = service.mirrorStages.bind(service);
    let raced = false;
    let answer: Awaited<ReturnType<typeof take>> | undefined;
    let afterTaking: string | null | undefined;
    service.mirrorStages = async (...args: Parameters<typeof take>) => {
      if (raced) return take(...args);
      raced = true;
      await stageSet(venue, VENUE_ORGANISER, a);
      answer = await take(...args);
      afterTaking = await onStageAt(venue);
      return answer;
    };
    try {
      await stageSet(hub, ORGANISER, b); // the node's next cycle finds only the stages differing
      await until('the node tried to take the hub’s stage', () => afterTaking !== undefined);
    } finally {
      service.mirrorStages = take;
    }
    expect(answer).toBeNull();
    expect(afterTaking).toBe(a);
    await hubHas(a);
    await venueInSync(venue, 'after the raced stage');
    expect(await onStageAt(venue)).toBe(a);
    expect(await stageOf(venue, 'welding@v1')).toEqual(await stageOf(hub, 'welding@v1'));
    await bothReplay();
  }, 60_000);
});
