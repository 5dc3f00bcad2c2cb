/**
 * Issue #14: the results CSV shows "—" as rank and total of a DSQ/DNS row (regression: a
 * disqualified contestant was exported with a rank number and 0.00), and the set-up API refuses a
 * conversion table that would reward a worse measurement.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../../server/csv/parse.ts';
import { putSetup, sampleCompetition, startApi, uniqueId, type Api } from './harness.ts';

describe('results export of rows without a rank (Redis store)', () => {
  let api: Api;
  let organiser: string;
  let id: string;
  const send = (name: string, json: Record<string, unknown>) =>
    api.call(`/competitions/${id}/commands/${name}`, {
      method: 'POST',
      token: organiser,
      json: { opId: randomUUID(), eventId: 'weld', roundId: 'r1', ...json },
    });

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
    id = uniqueId();
    const base = sampleCompetition(id);
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        contestants: [
          ...base.contestants,
          { id: 'A003', eventId: 'weld', bib: 'A003', name: '王五', organisation: '三厂', region: '安徽' },
        ],
      }),
    );
    expect((await send('round.state', { state: 'open' })).status).toBe(200);
    for (const [contestantId, judgeId, value] of [
      ['A001', 'j1', '90'],
      ['A001', 'c1', '91'],
    ] as const) {
      const res = await send('mark.correct', {
        contestantId,
        judgeId,
        criterionId: 'quality',
        value,
        reason: '录入',
      });
      expect(res.status).toBe(200);
    }
    expect((await send('outcome.set', { contestantId: 'A002', outcome: 'dsq', reason: '违规' })).status).toBe(
      200,
    );
    expect((await send('outcome.set', { contestantId: 'A003', outcome: 'dns', reason: '弃权' })).status).toBe(
      200,
    );
  });
  afterAll(async () => api.stop());

  it('exports "—" as rank and total for DNS and DSQ rows, after the ranked ones: dns before dsq', async () => {
    const res = await api.call(
      `/competitions/${id}/results.csv?board=${encodeURIComponent('weld|r1|individual')}`,
      {
        token: organiser,
      },
    );
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text()).rows.map((r) => [r.cells[0], r.cells[1], r.cells[7], r.cells[9]]);
    expect(rows).toEqual([
      ['1', 'A001', '90.50', ''],
      ['—', 'A003', '—', '缺赛 DNS'],
      ['—', 'A002', '—', '取消资格 DSQ'],
    ]);
  });

  it('refuses a tolerance table whose wider band gives more points (nothing changes), and stores a valid one', async () => {
    const withTable = (bands: Array<{ within: string; points: string }>) => {
      const base = sampleCompetition(id);
      return {
        ...base,
        contestants: [
          ...base.contestants,
          { id: 'A003', eventId: 'weld', bib: 'A003', name: '王五', organisation: '三厂', region: '安徽' },
        ],
        events: base.events.map((e) => ({
          ...e,
          criteria: [
            ...e.criteria,
            {
              id: 'dia',
              label: '直径',
              kind: 'measured',
              max: 100,
              step: 0.01,
              convert: { kind: 'tolerance', target: '25', bands },
            },
          ],
        })),
      };
    };
    const put = (competition: unknown) =>
      api.call(`/competitions/${id}/setup`, {
        method: 'PUT',
        token: organiser,
        json: { opId: randomUUID(), competition },
      });
    const criteria = async () =>
      (
        (await (await api.call(`/competitions/${id}/setup`, { token: organiser })).json()) as {
          competition: { events: Array<{ criteria: Array<{ id: string; convert?: unknown }> }> };
        }
      ).competition.events[0]?.criteria;

    const bad = await put(
      withTable([
        { within: '0.02', points: '2' },
        { within: '0.05', points: '6' },
      ]),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await criteria()).toHaveLength(1);

    const good = await put(
      withTable([
        { within: '0.02', points: '6' },
        { within: '0.05', points: '2' },
      ]),
    );
    expect(good.status).toBe(200);
    expect((await criteria())?.[1]?.convert).toEqual({
      kind: 'tolerance',
      target: '25',
      bands: [
        { within: '0.02', points: '6' },
        { within: '0.05', points: '2' },
      ],
    });
  });
});
