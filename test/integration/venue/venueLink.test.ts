/**
 * A hub and a venue node (two real Podium servers over HTTP, embedded stores): the venue resyncs the
 * set-up from the hub, forwards its judges' marks exactly once (a lost cursor resends, the hub
 * dedups by opId), a mark for a round the hub closed meanwhile is refused, audited and shown, and
 * the venue then converges on the hub (equal venue boards, zero rebuild differences at the hub).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { boardRows } from '../../../server/venue/digest.ts';
import { VenueKeys } from '../../../server/venue/venueKeys.ts';
import type { Competition } from '../../../shared/model.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { seedVenueContest, twoVenueContest } from '../../support/venueContest.ts';

const ORGANISER: Actor = { kind: 'organiser', id: 'test' };

async function until(what: string, check: () => Promise<boolean>, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logOf(p: TestPodium, cid: string) {
  return p.store.readLog(cid, undefined, 10_000);
}

describe('venue link (hub ↔ venue node)', () => {
  let hub: TestPodium;
  let venue: TestPodium;
  let setup: Competition;
  let key: string;
  const target = () => ({ competitionId: setup.id, eventId: 'welding', roundId: 'prelim' });

  beforeAll(async () => {
    hub = await startTestPodium();
    setup = twoVenueContest('vl');
    await seedVenueContest(hub, setup);
    key = await new VenueKeys(hub.store).issue({ competitionId: setup.id, venueId: 'v1' });
    venue = await startTestPodium({ venueLink: { hubUrl: hub.url, key } });
  });
  afterAll(async () => {
    await venue.stop();
    await hub.stop();
  });

  const judgeOf = (p: Competition, venueId: string): Actor => {
    const j = p.judges.find(
      (x) => x.venueId === venueId && x.eventIds.includes('welding') && x.role === 'judge',
    );
    if (j === undefined) throw new Error('no judge');
    return { kind: 'judge', judgeId: j.id, competitionId: p.id, role: j.role };
  };
  const contestantsAt = (venueId: string) =>
    setup.contestants.filter((c) => c.eventId === 'welding' && c.venueId === venueId);
  const board = 'welding|prelim|individual|@v1';

  it('resyncs the set-up and open round from the hub, then forwards marks once', async () => {
    // A tablet sending during the resync gets 'restoring' and sends again; the test waits instead.
    await until('the venue resynced', async () => venue.venueNode!.status().resyncs >= 1);
    const judge = judgeOf(setup, 'v1');
    for (const c of contestantsAt('v1')) {
      await venue.service.execute(judge, {
        name: 'marks.submit',
        payload: {
          ...target(),
          opId: randomUUID(),
          contestantId: c.id,
          marks: { appearance: '20', forming: '18' },
        },
      });
    }
    await until(
      'the hub has the venue board',
      async () => (await hub.store.boardSize(setup.id, board)) === contestantsAt('v1').length,
    );
    expect(await boardRows(hub.store, setup.id, board)).toEqual(
      await boardRows(venue.store, setup.id, board),
    );
    const marks = (await logOf(hub, setup.id)).filter((e) => e.type === 'marks.submit');
    expect(marks).toHaveLength(contestantsAt('v1').length);

    // A lost cursor (the venue PC's record gone): everything is resent, the hub applies nothing twice.
    await venue.store.deleteRecord('venue.link', `cursor:${setup.id}`);
    const status = await (await fetch(`${venue.url}/api/venue/status`)).json();
    expect(status).toMatchObject({ ok: true, venueId: 'v1', competitionId: setup.id });
    // Pages learn from /api/info whether to read the link at all (the hub has no such route).
    expect(await (await fetch(`${venue.url}/api/info`)).json()).toMatchObject({ venueNode: true });
    expect(await (await fetch(`${hub.url}/api/info`)).json()).toMatchObject({ venueNode: false });
    await until(
      'resent',
      async () => (await venue.store.getRecord('venue.link', `cursor:${setup.id}`)) !== null,
    );
    await until('drained', async () => venue.venueNode!.status().waiting === 0);
    expect((await logOf(hub, setup.id)).filter((e) => e.type === 'marks.submit')).toHaveLength(marks.length);
  });

  it('audits a mark the hub refuses (round closed during a cut) and converges on the hub', async () => {
    await until('the venue link is idle', async () => venue.venueNode!.status().waiting === 0);
    await venue.venueNode!.stop(); // the link is cut: the venue keeps scoring
    await hub.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { ...target(), opId: randomUUID(), state: 'closed' },
    });
    const late = randomUUID();
    const c = contestantsAt('v1')[0]!;
    await venue.service.execute(judgeOf(setup, 'v1'), {
      name: 'marks.submit',
      payload: { ...target(), opId: late, contestantId: c.id, marks: { appearance: '29' } },
    });
    venue.venueNode!.restart();
    await until('refused', async () => venue.venueNode!.status().refused === 1);
    const audit = (await logOf(hub, setup.id)).filter((e) => e.type === 'venue.refused');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.payload).toMatchObject({ opId: late, code: 'round_not_open', venueId: 'v1' });
    const token = await hub.organiserToken();
    const listed = await (
      await fetch(`${hub.url}/api/competitions/${setup.id}/venue-refusals`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    expect(listed.refusals).toHaveLength(1);
    await until('the venue converged', async () => venue.venueNode!.status().resyncs >= 2);
    expect(await boardRows(venue.store, setup.id, board)).toEqual(
      await boardRows(hub.store, setup.id, board),
    );
    expect((await venue.store.getControl(setup.id)).value).toEqual(
      (await hub.store.getControl(setup.id)).value,
    );
    expect((await rebuild(hub.store, setup.id)).differences).toEqual([]);
    const venues = await (
      await fetch(`${hub.url}/api/competitions/${setup.id}/venues`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    expect(venues.venues[0]).toMatchObject({ id: 'v1', linkUp: true, refused: 1, hasKey: true });
  });

  it('refuses a wrong or revoked venue key', async () => {
    const bad = await fetch(`${hub.url}/api/venue-link/state`, {
      headers: { authorization: 'Venue pv_' + 'x'.repeat(43) },
    });
    expect(bad.status).toBe(401);
    await new VenueKeys(hub.store).revoke({ competitionId: setup.id, venueId: 'v1' });
    const revoked = await fetch(`${hub.url}/api/venue-link/state`, {
      headers: { authorization: `Venue ${key}` },
    });
    expect(revoked.status).toBe(401);
  });

  it('limits wrong keys per address, requests per key and the body size (flood)', async () => {
    const fresh = await new VenueKeys(hub.store).issue({ competitionId: setup.id, venueId: 'v2' });
    // All at once: a per-second budget of 20 cannot absorb 60 requests sent together.
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const r = await fetch(`${hub.url}/api/venue-link/state`, {
          headers: { authorization: `Venue ${fresh}` },
        });
        return r.status;
      }),
    );
    expect(statuses).toContain(429);
    const big = await fetch(`${hub.url}/api/venue-link/forward`, {
      method: 'POST',
      headers: { authorization: `Venue ${fresh}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect([413, 429]).toContain(big.status);
    const wrong: number[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await fetch(`${hub.url}/api/venue-link/state`, { headers: { authorization: 'Venue nope' } });
      wrong.push(r.status);
    }
    expect(wrong[0]).toBe(401);
    expect(wrong.at(-1)).toBe(429);
  });
});
