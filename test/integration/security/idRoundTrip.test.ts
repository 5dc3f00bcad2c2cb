/**
 * Property (issue #12): every id the set-up accepts round-trips — as the id of a judge, contestant,
 * event, round and criterion it goes through set-up, a judge's mark over a real socket, the stored
 * sheet, the judge's worklist, a live board, the results CSV, the archive and a restore. Ids named
 * like Object.prototype members ("toString", "valueOf", "__defineGetter__"…) are ordinary ids; the
 * three that are not ("__proto__", "constructor", "prototype") are refused.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { competitionSchema, type CompetitionInput } from '../../../shared/model.ts';
import { idSchema } from '../../../shared/text.ts';
import { parseCsv } from '../../../server/csv/parse.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { ask, closeSockets, connectSocket, http, opId, ORGANISER, uniqueId } from '../../support/fixtures.ts';

/** Names of Object.prototype members and other ids a careless key lookup trips over. */
const AWKWARD = Object.getOwnPropertyNames(Object.prototype)
  .filter((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name))
  .concat(['__proto', 'proto__', '_', '-', '0', '00', 'length', 'then', 'x'.repeat(64)]);

/** An id the schema accepts: awkward ones often, random ones otherwise. */
const acceptedId = fc
  .oneof(fc.constantFrom(...AWKWARD), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/))
  .filter((id) => idSchema.safeParse(id).success);

const idsArb = fc.record({
  judge: acceptedId,
  contestant: acceptedId,
  event: acceptedId,
  round: acceptedId,
  criterion: acceptedId,
});

type Ids = { judge: string; contestant: string; event: string; round: string; criterion: string };

function setupWith(competitionId: string, ids: Ids) {
  const input: CompetitionInput = {
    id: competitionId,
    name: `Ids ${competitionId}`,
    events: [
      {
        id: ids.event,
        name: 'Event',
        criteria: [{ id: ids.criterion, label: 'Criterion', max: 10, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: ids.round, name: 'Round', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: [
      {
        id: ids.contestant,
        eventId: ids.event,
        bib: 'B7',
        name: '王五',
        organisation: 'Works',
        region: 'North',
      },
    ],
    judges: [{ id: ids.judge, name: 'Judge', role: 'judge', eventIds: [ids.event] }],
  };
  return competitionSchema.parse(input);
}

const STORES = [
  ['Redis', () => inject('redisUrl')],
  ['embedded', () => undefined],
] as const;

describe.each(STORES)('every accepted id round-trips (%s store)', (_name, redisUrl) => {
  let podium: TestPodium;
  let organiser: string;
  let signIns = 0;

  beforeAll(async () => {
    const url = redisUrl();
    podium = await startTestPodium(url === undefined ? {} : { redisUrl: url });
    organiser = await podium.organiserToken();
  });
  afterAll(async () => {
    closeSockets();
    await podium.stop();
  });

  async function roundTrip(ids: Ids): Promise<void> {
    const competitionId = uniqueId('ids');
    const setup = setupWith(competitionId, ids);
    // Through the service, not HTTP: the organiser's write limit (20 a second) is not under test.
    await podium.service.execute(ORGANISER, {
      name: 'setup.put',
      payload: { opId: opId(), competition: setup },
    });
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId, eventId: ids.event, roundId: ids.round, state: 'open' },
    });

    // The judge signs in (a fresh address per run: the sign-in limit is not under test) and marks.
    const { code } = await podium.auth.issueJudgeCode(competitionId, ids.judge);
    signIns += 1;
    const { token } = await podium.auth.signInJudge(code, `10.12.${signIns >> 8}.${signIns & 255}`);
    const judge = await connectSocket(podium.url, '/judge', { auth: { token } });
    const key = { eventId: ids.event, roundId: ids.round, contestantId: ids.contestant };
    const ack = await ask(judge, 'cmd:marks.submit', [
      { opId: opId(), competitionId, ...key, marks: { [ids.criterion]: '7.5' } },
    ]);
    expect(ack).toMatchObject({ ok: true, duplicate: false });

    // Stored as the judge's own marks.
    const sheet = (await podium.store.getSheet(competitionId, key)).value;
    expect(Object.keys(sheet.marks)).toEqual([ids.judge]);
    expect(Object.entries(sheet.marks)).toEqual([[ids.judge, { [ids.criterion]: '7.5' }]]);

    // The judge's worklist shows the mark as theirs.
    const sheets = await ask<{ lines: Array<{ contestantId: string; myMarks: Record<string, string> }> }>(
      judge,
      'judge:sheets',
      [{ eventId: ids.event, roundId: ids.round }],
    );
    expect(sheets.ok && sheets.lines).toEqual([
      expect.objectContaining({ contestantId: ids.contestant, myMarks: { [ids.criterion]: '7.5' } }),
    ]);

    // A live board.
    const board = `${ids.event}|${ids.round}|individual`;
    const screen = await connectSocket(podium.url, '/public');
    const snapshot = await ask<{ rows: Array<{ id: string; total: string; rank: number }> }>(
      screen,
      'board:subscribe',
      [{ competitionId, board }],
    );
    expect(snapshot.ok && snapshot.rows).toEqual([
      expect.objectContaining({ id: ids.contestant, total: '7.50', rank: 1 }),
    ]);
    judge.close();
    screen.close();

    // The results CSV.
    const csv = await http(
      podium.url,
      `/api/competitions/${competitionId}/results.csv?board=${encodeURIComponent(board)}`,
      { token: organiser },
    );
    expect(csv.status).toBe(200);
    expect(parseCsv(csv.text.replace(/^\uFEFF/, '')).rows[0]?.cells).toEqual(
      expect.arrayContaining(['1', 'B7', '王五', '7.50']),
    );

    // The archive, restored over the competition, verifies.
    const archive = await http(podium.url, `/api/competitions/${competitionId}/archive`, {
      token: organiser,
    });
    expect(archive.status).toBe(200);
    const restored = await http(podium.url, `/api/competitions/${competitionId}/restore?replace=1`, {
      method: 'POST',
      token: organiser,
      body: archive.text,
    });
    expect(restored.body).toMatchObject({
      ok: true,
      verified: { setup: true, control: true, rebuildDifferences: 0 },
    });
    expect((await podium.store.getSheet(competitionId, key)).value.marks).toEqual({
      [ids.judge]: { [ids.criterion]: '7.5' },
    });
  }

  it('through set-up, a mark, the worklist, a board, the results CSV, the archive and a restore', async () => {
    await fc.assert(fc.asyncProperty(idsArb, roundTrip), { numRuns: 12 });
    // The awkward ids in every role at least once, whatever the random draw.
    for (const id of ['toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf']) {
      await roundTrip({ judge: id, contestant: id, event: id, round: id, criterion: id });
    }
  }, 120_000);
});
