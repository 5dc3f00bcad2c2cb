/**
 * The per-judge write budget is per competition (regression: the key was "judge:<id>", so judge
 * "j1" of one competition used up the budget of every other competition's "j1").
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import { ask, closeSockets, connectSocket, opId, seedCompetition, uniqueId } from '../../support/fixtures.ts';

describe('write budget per judge and competition (Redis store)', () => {
  let podium: TestPodium;
  beforeAll(async () => {
    podium = await startTestPodium({ redisUrl: inject('redisUrl') });
  });
  afterAll(async () => {
    closeSockets();
    await podium.stop();
  });

  const mark = (competitionId: string, contestantId: string, value: string) => ({
    opId: opId(),
    competitionId,
    eventId: 'e1',
    roundId: 'r1',
    contestantId,
    marks: { q: value },
  });

  it('a judge who used up the budget in one competition does not limit the judge of the same id in another', async () => {
    const busy = await seedCompetition(podium, uniqueId('busy'));
    const other = await seedCompetition(podium, uniqueId('other'));
    const busySocket = await connectSocket(podium.url, '/judge', { auth: { token: busy.credentials.judge } });
    const otherSocket = await connectSocket(podium.url, '/judge', {
      auth: { token: other.credentials.judge },
    });
    // 30 marks at once: more than the 20 writes a second a judge may make.
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ask(busySocket, 'cmd:marks.submit', [mark(busy.competitionId, `c${1 + (i % 4)}`, String(i % 10))]),
      ),
    );
    expect(answers.filter((a) => !a.ok && a.code === 'rate_limited').length).toBeGreaterThan(0);
    // Same judge id, same second, another competition: its own budget.
    expect(await ask(otherSocket, 'cmd:marks.submit', [mark(other.competitionId, 'c1', '7')])).toMatchObject({
      ok: true,
    });
  });
});
