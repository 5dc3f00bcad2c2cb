/**
 * Per-display settings pushed live (issue #15 item 2): the organiser names a big screen and sends
 * `display.set`; every screen watching the competition gets the settings in `control:update` at
 * once; bad settings change nothing; the settings are in the log and survive a rebuild.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PublicControl } from '../../../shared/events.ts';
import { MAX_DISPLAYS } from '../../../shared/displays.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { http } from '../../support/fixtures.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  closeSockets,
  connected,
  next,
  opId,
  request,
  seedCompetition,
  sleep,
  uniqueCompetitionId,
} from './fixtures.ts';

const BIG = { scale: 160, rows: 6, detail: false, legend: true, rotate: 30 };

describe.each([
  ['embedded', undefined],
  ['redis', inject('redisUrl')],
] as const)('named display settings on the %s store', (_name, redisUrl) => {
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

  /** Send display.set over HTTP; waits out the per-actor write limit (429) and sends it again. */
  async function setDisplay(competitionId: string, displayId: string, settings: unknown, as = token) {
    const json = { opId: opId(), competitionId, displayId, settings };
    for (;;) {
      const answer = await http(podium.url, `/api/competitions/${competitionId}/commands/display.set`, {
        method: 'POST',
        token: as,
        json,
      });
      if (answer.status !== 429) return answer;
      await sleep(Number(answer.headers.get('retry-after') ?? '1') * 1_000);
    }
  }

  async function screen(competitionId: string) {
    const socket = await connected(podium.url, '/public');
    const watch = await request<{ control: PublicControl }>(socket, 'competition:watch', { competitionId });
    if (!watch.ok) throw new Error(`watch failed: ${watch.code}`);
    return { socket, control: watch.control };
  }

  it('pushes the settings of a named screen to every watching screen at once, and forgets them', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id);
    const { socket, control } = await screen(id);
    expect(control.displays).toEqual({});

    const update = next<PublicControl>(socket, 'control:update', (c) => c.displays['hall-a'] !== undefined);
    const answer = await setDisplay(id, 'hall-a', BIG);
    expect(answer.status).toBe(200);
    expect((await update).displays).toEqual({ 'hall-a': BIG });

    // A screen opened later reads the same settings in its first answer.
    expect((await screen(id)).control.displays).toEqual({ 'hall-a': BIG });

    const gone = next<PublicControl>(socket, 'control:update', (c) => c.displays['hall-a'] === undefined);
    expect((await setDisplay(id, 'hall-a', null)).status).toBe(200);
    expect((await gone).displays).toEqual({});
    expect((await rebuild(podium.store, id)).differences).toEqual([]);
  });

  it('refuses settings out of range or a reserved name, and changes nothing', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id);
    await setDisplay(id, 'hall-a', BIG);
    for (const [displayId, settings] of [
      ['hall-a', { ...BIG, scale: 900 }],
      ['hall-a', { ...BIG, rows: 2 }],
      ['hall-a', { ...BIG, rotate: 3 }],
      ['hall-a', { ...BIG, colour: 'red' }],
      ['__proto__', BIG],
      ['hall a', BIG],
    ] as const) {
      const answer = await setDisplay(id, displayId, settings);
      expect(answer.status, JSON.stringify(settings)).toBe(400);
      expect(answer.body.code).toBe('invalid_payload');
    }
    expect((await screen(id)).control.displays).toEqual({ 'hall-a': BIG });
  });

  it(`keeps at most ${MAX_DISPLAYS} named screens, and still lets the existing ones change`, async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id);
    for (let i = 0; i < MAX_DISPLAYS; i += 1) {
      expect((await setDisplay(id, `s${i}`, BIG)).status).toBe(200);
    }
    const over = await setDisplay(id, 'one-more', BIG);
    expect(over.status).toBe(400);
    expect(over.body.message).toMatch(/at most 50/);
    expect((await setDisplay(id, 's0', { ...BIG, scale: 100 })).status).toBe(200);
    const { control } = await screen(id);
    expect(Object.keys(control.displays)).toHaveLength(MAX_DISPLAYS);
    expect(control.displays.s0?.scale).toBe(100);
  });

  it('refuses display.set from a judge (every role: security/roles.test.ts)', async () => {
    const id = uniqueCompetitionId();
    await seedCompetition(podium.service, id);
    const answer = await setDisplay(id, 'hall-a', BIG, await podium.judgeToken(id, 'j1'));
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('forbidden');
    expect((await screen(id)).control.displays).toEqual({});
  });
});
