/**
 * Anonymised events at a venue node (docs/VENUES.md "Anonymised events", docs/RULES.md §13), a
 * real hub and a real node over HTTP: the node shows drawn numbers once the hub drew, keeps every
 * name hidden while the hub's decode waits for the chief judge (and refuses a decode confirmed at
 * the node itself), and shows the names once the hub's decode is confirmed. Before, the node never
 * heard of the draw (its digest left the draws out): no numbers, and no names after the decode.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { VenueKeys } from '../../../server/venue/venueKeys.ts';
import type { Command } from '../../../shared/commands.ts';
import { competitionSchema, type Competition } from '../../../shared/model.ts';
import { closeSockets, connectSocket, ask, ORGANISER } from '../../support/fixtures.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { venueInSync } from '../../support/venueContest.ts';

const EVENT = 'weld';
/** Everything that identifies a contestant: none of it may appear at the node before the decode. */
const SECRETS = ['张三', '李四', '一厂', '二厂', '江苏', '浙江', 'A001', 'A002'];

function anonymisedAtTwoVenues(id: string): Competition {
  return competitionSchema.parse({
    id,
    name: '两地加密评分技能大赛',
    venues: [
      { id: 'v1', name: '第一赛点', region: '华东', address: '一号路 1 号' },
      { id: 'v2', name: '第二赛点', region: '华南', address: '二号路 2 号' },
    ],
    events: [
      {
        id: EVENT,
        name: '焊工',
        anonymised: true,
        criteria: [{ id: 'quality', label: '质量', max: 10, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      {
        id: 'p1',
        eventId: EVENT,
        bib: 'A001',
        name: '张三',
        organisation: '一厂',
        region: '江苏',
        venueId: 'v1',
      },
      {
        id: 'p2',
        eventId: EVENT,
        bib: 'A002',
        name: '李四',
        organisation: '二厂',
        region: '浙江',
        venueId: 'v2',
      },
    ],
    judges: [
      { id: 'j1', name: '赵裁判', role: 'judge', eventIds: [EVENT], venueId: 'v1' },
      { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: [EVENT], venueId: 'v1' },
      { id: 'j2', name: '孙裁判', role: 'judge', eventIds: [EVENT], venueId: 'v2' },
    ],
  });
}

describe('an anonymised event at a venue node', () => {
  let hub: TestPodium;
  let venue: TestPodium;
  let id: string;
  const target = () => ({ competitionId: id, eventId: EVENT, roundId: 'r1' });
  const as = (judgeId: string, role: 'judge' | 'chief'): Actor => ({
    kind: 'judge',
    judgeId,
    competitionId: id,
    role,
  });
  const atHub = (actor: Actor, command: Command) => hub.service.execute(actor, command);
  const control = (name: 'draw.make' | 'draw.decode', payload: Record<string, unknown> = {}) =>
    ({ name, payload: { opId: randomUUID(), competitionId: id, eventId: EVENT, ...payload } }) as Command;

  beforeAll(async () => {
    hub = await startTestPodium();
    id = `vd-${randomUUID().slice(0, 8)}`;
    await atHub(ORGANISER, {
      name: 'setup.put',
      payload: { opId: randomUUID(), competition: anonymisedAtTwoVenues(id) },
    });
    const key = await new VenueKeys(hub.store).issue({ competitionId: id, venueId: 'v1' });
    venue = await startTestPodium({ venueLink: { hubUrl: hub.url, key } });
    await venueInSync(venue, 'after taking the set-up');
  });
  afterAll(async () => {
    closeSockets();
    await venue.stop();
    await hub.stop();
  });

  /** What the public and the venue's judges read at the node, as one text. */
  async function atNode(): Promise<string> {
    const read = async (path: string): Promise<string> => {
      const res = await fetch(`${venue.url}/api${path}`);
      return `${path} ${res.status} ${await res.text()}`;
    };
    const board = encodeURIComponent(`${EVENT}|r1|individual|@v1`);
    const spectator = await connectSocket(venue.url, '/public');
    const tablet = await connectSocket(venue.url, '/judge', {
      auth: { token: await venue.judgeToken(id, 'j1') },
    });
    return [
      await read(`/competitions/${id}`),
      await read(`/competitions/${id}/results/${board}`),
      JSON.stringify(await ask(spectator, 'competition:watch', [{ competitionId: id }])),
      JSON.stringify(await ask(tablet, 'judge:sheets', [{ eventId: EVENT, roundId: 'r1' }])),
    ].join('\n');
  }

  const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

  it('shows drawn numbers once the hub drew, and names only once the hub’s decode is confirmed', async () => {
    expect(leaks(await atNode())).toEqual([]);

    await atHub(ORGANISER, control('draw.make'));
    const drawn = (await hub.store.getControl(id)).value.draws as Record<
      string,
      { numbers: Record<string, string> }
    >;
    const numbers = drawn[EVENT]?.numbers ?? {};
    await venueInSync(venue, 'after the draw');
    const afterDraw = await atNode();
    expect(afterDraw).toContain(`"draw":"${numbers.p1}"`);
    expect(leaks(afterDraw)).toEqual([]);

    // Judged and signed at the hub; the organiser asks to decode.
    await atHub(ORGANISER, {
      name: 'round.state',
      payload: { opId: randomUUID(), ...target(), state: 'open' },
    });
    await atHub(as('j1', 'judge'), {
      name: 'marks.submit',
      payload: { opId: randomUUID(), ...target(), contestantId: 'p1', marks: { quality: '9' } },
    });
    await atHub(ORGANISER, {
      name: 'round.state',
      payload: { opId: randomUUID(), ...target(), state: 'closed' },
    });
    await atHub(as('c1', 'chief'), {
      name: 'sheet.sign',
      payload: { opId: randomUUID(), ...target(), contestantId: 'p1', signed: true },
    });
    await atHub(ORGANISER, control('draw.decode'));
    await venueInSync(venue, 'after the decode was asked for');
    expect((await venue.store.getControl(id)).value.draws).toMatchObject({
      [EVENT]: { decodeRequested: true },
    });
    expect(leaks(await atNode())).toEqual([]);

    // The venue's chief judge cannot confirm at the node: the names would show here alone.
    await expect(
      venue.service.execute(as('c1', 'chief'), {
        name: 'draw.confirm',
        payload: { opId: randomUUID(), competitionId: id, eventId: EVENT },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const chiefTablet = await connectSocket(venue.url, '/judge', {
      auth: { token: await venue.judgeToken(id, 'c1') },
    });
    const refused = await ask(chiefTablet, 'cmd:draw.confirm', [
      { opId: randomUUID(), competitionId: id, eventId: EVENT },
    ]);
    expect(refused).toMatchObject({ ok: false, code: 'forbidden' });
    expect(leaks(await atNode())).toEqual([]);

    // Confirmed at the hub: the node shows the names.
    await atHub(as('c1', 'chief'), {
      name: 'draw.confirm',
      payload: { opId: randomUUID(), competitionId: id, eventId: EVENT },
    });
    await venueInSync(venue, 'after the decode');
    const decoded = await atNode();
    expect(decoded).toContain('张三');
    expect(decoded).toContain('李四');
    expect((await venue.store.getControl(id)).value.draws).toEqual(
      (await hub.store.getControl(id)).value.draws,
    );
  }, 60_000);
});
