/**
 * Judges' worklist pushes ('sheet:update') over real sockets: a judge hears of a sheet change only
 * when it shows on their tablet (lock, outcome, others' marks once blind judging allows), while
 * chief judges hear of every change.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DivergenceFlag, JudgeSheetLine } from '../../../shared/events.ts';
import { competitionSchema } from '../../../shared/model.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  closeSockets,
  collect,
  competitionInput,
  connected,
  marks,
  next,
  opId,
  ORGANISER,
  request,
  sleep,
  uniqueCompetitionId,
} from './fixtures.ts';

describe.each([
  ['embedded', undefined],
  ['redis', inject('redisUrl')],
] as const)('sheet updates on the %s store', (_name, redisUrl) => {
  let podium: TestPodium;

  beforeAll(async () => {
    podium = await startTestPodium(redisUrl ? { redisUrl } : {});
  });
  afterAll(async () => {
    await podium.stop();
  });
  afterEach(() => closeSockets());

  /**
   * The fixture competition (blind by default) with a second judge j2 and the chief judge on the
   * panel (a chief who marks every sheet: the blind reveal waits for them too), round open.
   */
  async function competition(): Promise<string> {
    const id = uniqueCompetitionId();
    const input = competitionInput(id);
    const j2 = { id: 'j2', name: 'Judge Two', role: 'judge' as const, eventIds: ['e1'] };
    const judges = (input.judges ?? []).map((j) => (j.role === 'chief' ? { ...j, panel: true } : j));
    const competition = competitionSchema.parse({ ...input, judges: [...judges, j2] });
    await podium.service.execute(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition } });
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', state: 'open' },
    });
    return id;
  }

  async function tablet(competitionId: string, judgeId: string) {
    const token = await podium.judgeToken(competitionId, judgeId);
    const socket = await connected(podium.url, '/judge', { auth: { token } });
    // The sheets request answers once the socket's rooms are joined.
    const sheets = await request(socket, 'judge:sheets', { eventId: 'e1', roundId: 'r1' });
    expect(sheets.ok).toBe(true);
    return socket;
  }

  const ofC1 = (line: JudgeSheetLine) => line.contestantId === 'c1';

  it("updates another judge's tablet when the chief judge locks a sheet", async () => {
    const id = await competition();
    const chief = await tablet(id, 'chief');
    const j2 = await tablet(id, 'j2');
    const seen = next<JudgeSheetLine>(j2, 'sheet:update', ofC1);
    const lock = { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', contestantId: 'c1' };
    const ack = await request(chief, 'cmd:sheet.lock', { ...lock, locked: true });
    expect(ack.ok).toBe(true);
    expect(await seen).toMatchObject({ contestantId: 'c1', locked: true, myMarks: {}, others: null });
  });

  it("keeps a blind event's marks from other judges until every judge has marked", async () => {
    const id = await competition();
    const chief = await tablet(id, 'chief');
    const j1 = await tablet(id, 'j1');
    const j2 = await tablet(id, 'j2');
    const j1Lines = collect<JudgeSheetLine>(j1, 'sheet:update');
    const j2Lines = collect<JudgeSheetLine>(j2, 'sheet:update');

    // The chief judge hears of every change: use their pushes as the barrier.
    const chiefSawJ1 = next<JudgeSheetLine>(chief, 'sheet:update', ofC1);
    expect((await request(j1, 'cmd:marks.submit', marks(id, 'c1', 80))).ok).toBe(true);
    expect((await chiefSawJ1).others).toBeNull();
    const chiefSawJ2 = next<JudgeSheetLine>(chief, 'sheet:update', ofC1);
    expect((await request(j2, 'cmd:marks.submit', marks(id, 'c1', 70))).ok).toBe(true);
    await chiefSawJ2;
    await sleep(200);
    expect(j1Lines).toEqual([]);
    expect(j2Lines).toEqual([]);

    // The last mark reveals everyone's marks, to every judge.
    const j1Sees = next<JudgeSheetLine>(j1, 'sheet:update', ofC1);
    const j2Sees = next<JudgeSheetLine>(j2, 'sheet:update', ofC1);
    expect((await request(chief, 'cmd:marks.submit', marks(id, 'c1', 75))).ok).toBe(true);
    expect((await j1Sees).others).toEqual({ j2: { q: '70' }, chief: { q: '75' } });
    expect((await j2Sees).others).toEqual({ j1: { q: '80' }, chief: { q: '75' } });
    expect((await j2Sees).myMarks).toEqual({ q: '70' });
  });
  it('flags a judge whose mark strays beyond tolerance to the chief judge and the organisers', async () => {
    const id = uniqueCompetitionId();
    const input = competitionInput(id);
    const [event] = input.events;
    if (!event) throw new Error('fixture has an event');
    const tolerant = {
      ...event,
      criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5, divergenceTolerance: 10 }],
    };
    const j2 = { id: 'j2', name: 'Judge Two', role: 'judge' as const, eventIds: ['e1'] };
    const competition = competitionSchema.parse({
      ...input,
      events: [tolerant],
      judges: [...(input.judges ?? []), j2],
    });
    await podium.service.execute(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition } });
    await podium.service.execute(ORGANISER, {
      name: 'round.state',
      payload: { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', state: 'open' },
    });
    const chief = await tablet(id, 'chief');
    const staff = await connected(podium.url, '/admin', { auth: { token: await podium.organiserToken() } });
    expect((await request(staff, 'competition:watch', { competitionId: id })).ok).toBe(true);
    const chiefFlags = collect<DivergenceFlag>(chief, 'divergence');
    const staffFlags = collect<DivergenceFlag>(staff, 'divergence');

    const j1 = await tablet(id, 'j1');
    const j2Tablet = await tablet(id, 'j2');
    const plainFlags = collect<DivergenceFlag>(j1, 'divergence');
    expect((await request(j1, 'cmd:marks.submit', marks(id, 'c1', 90))).ok).toBe(true);
    // Within tolerance of j1: nothing to flag.
    expect((await request(j2Tablet, 'cmd:marks.submit', marks(id, 'c2', 85))).ok).toBe(true);
    // 40 points from j1's mark on the same contestant: both marks now stand out.
    expect((await request(j2Tablet, 'cmd:marks.submit', marks(id, 'c1', 50))).ok).toBe(true);

    const expected = [
      { eventId: 'e1', roundId: 'r1', contestantId: 'c1', criterionId: 'q', judgeId: 'j1' },
      { eventId: 'e1', roundId: 'r1', contestantId: 'c1', criterionId: 'q', judgeId: 'j2' },
    ];
    const byJudge = (a: DivergenceFlag, b: DivergenceFlag) => a.judgeId.localeCompare(b.judgeId);
    await expect.poll(() => [...chiefFlags].sort(byJudge)).toEqual(expected);
    await expect.poll(() => [...staffFlags].sort(byJudge)).toEqual(expected);
    // A plain judge never hears of divergences (the flags above arrived, so j1's would have too).
    expect(plainFlags).toEqual([]);
  });
});
