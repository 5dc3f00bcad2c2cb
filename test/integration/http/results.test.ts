import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseCsv } from '../../../server/csv/parse.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { submitMarksSchema } from '../../../shared/commands.ts';
import { putSetup, sampleCompetition, startApi, uniqueId, type Api } from './harness.ts';

const BOARD = 'weld|r1|individual';

/** A competition whose contestants have spreadsheet-formula names, with marks from both judges. */
async function scoredCompetition(api: Api, organiser: string): Promise<string> {
  const id = uniqueId();
  await putSetup(
    api,
    organiser,
    sampleCompetition(id, {
      contestants: [
        {
          id: 'A001',
          eventId: 'weld',
          bib: 'A001',
          name: '=HYPERLINK("http://evil","点我")',
          organisation: '+86 一厂',
          region: '江苏',
        },
        {
          id: 'A002',
          eventId: 'weld',
          bib: 'A002',
          name: '李四',
          organisation: '@SUM(1+1)',
          region: '-浙江',
        },
      ],
    }),
  );
  const open = await api.call(`/competitions/${id}/commands/round.state`, {
    method: 'POST',
    token: organiser,
    json: { opId: randomUUID(), eventId: 'weld', roundId: 'r1', state: 'open' },
  });
  expect(open.status).toBe(200);
  const marks: Array<[string, string, number]> = [
    ['j1', 'A001', 90],
    ['c1', 'A001', 91],
    ['j1', 'A002', 80.5],
    ['c1', 'A002', 81],
  ];
  for (const [judgeId, contestantId, quality] of marks) {
    const actor: Actor = {
      kind: 'judge',
      judgeId,
      competitionId: id,
      role: judgeId === 'c1' ? 'chief' : 'judge',
    };
    const payload = submitMarksSchema.parse({
      opId: randomUUID(),
      competitionId: id,
      eventId: 'weld',
      roundId: 'r1',
      contestantId,
      marks: { quality },
    });
    await api.service.execute(actor, { name: 'marks.submit', payload });
  }
  return id;
}

describe('commands, results and audit export (Redis store)', () => {
  let api: Api;
  let organiser: string;
  let id: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
    id = await scoredCompetition(api, organiser);
  });
  afterAll(async () => api.stop());

  it('lists the competition publicly and shows its public facts without judge secrets', async () => {
    const list = (await (await api.call('/competitions')).json()) as { competitions: Array<{ id: string }> };
    expect(list.competitions.map((c) => c.id)).toContain(id);
    const info = (await (await api.call(`/competitions/${id}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ ok: true, competition: { id }, control: { rounds: { 'weld|r1': 'open' } } });
  });

  it('answers command errors with their codes and statuses', async () => {
    const send = (name: string, json: unknown) =>
      api.call(`/competitions/${id}/commands/${name}`, { method: 'POST', token: organiser, json });
    const invalid = await send('round.state', {
      opId: randomUUID(),
      eventId: 'weld',
      roundId: 'r1',
      state: 'maybe',
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      ok: false,
      code: 'invalid_payload',
      message: expect.stringContaining('state'),
    });
    expect((await send('no.such', {})).status).toBe(404);
    const wrongCompetition = await send('round.state', {
      opId: randomUUID(),
      competitionId: 'elsewhere',
      eventId: 'weld',
      roundId: 'r1',
      state: 'open',
    });
    expect(wrongCompetition.status).toBe(400);
    const organiserMarks = await send('marks.submit', {
      opId: randomUUID(),
      eventId: 'weld',
      roundId: 'r1',
      contestantId: 'A001',
      marks: { quality: 1 },
    });
    expect(organiserMarks.status).toBe(403);
    const unknownRound = await send('round.state', {
      opId: randomUUID(),
      eventId: 'weld',
      roundId: 'r9',
      state: 'open',
    });
    expect(unknownRound.status).toBe(404);
  });

  it('exports results with ranks, and every formula-like cell neutralised', async () => {
    const res = await api.call(`/competitions/${id}/results.csv?board=${encodeURIComponent(BOARD)}`, {
      token: organiser,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const text = await res.text();
    const table = parseCsv(text);
    expect(table.header).toEqual([
      '名次',
      '参赛号',
      '姓名',
      '单位',
      '地区',
      '组别',
      '团队',
      '总分',
      '成绩完整',
      '状态',
    ]);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['1', 'A001', `'=HYPERLINK("http://evil","点我")`, "'+86 一厂", '江苏', '', '', '90.50', '是', ''],
      ['2', 'A002', '李四', "'@SUM(1+1)", "'-浙江", '', '', '80.75', '是', ''],
    ]);
    for (const row of table.rows) for (const cell of row.cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('ranks contestants across events by standardised score (organisers only)', async () => {
    const res = await api.call(`/competitions/${id}/standardised`, { token: organiser });
    const body = (await res.json()) as {
      rows: Array<{ contestantId: string; standardised: string; rank: number }>;
    };
    // Two complete results in one event: median 85.625, each 1 MAD away → 800 and 600.
    expect(body.rows.map((r) => [r.standardised, r.rank])).toEqual([
      ['800.00', 1],
      ['600.00', 2],
    ]);
    expect((await api.call(`/competitions/${id}/standardised`)).status).toBe(401);
  });

  it('refuses results for a missing or unknown board', async () => {
    expect((await api.call(`/competitions/${id}/results.csv`, { token: organiser })).status).toBe(400);
    expect((await api.call(`/competitions/${id}/results.csv?board=nope`, { token: organiser })).status).toBe(
      404,
    );
  });

  it('exports the full audit log as JSON and CSV: who, what, when', async () => {
    const json = (await (await api.call(`/competitions/${id}/audit.json`, { token: organiser })).json()) as {
      entries: Array<{ actor: string; type: string; at: number; payload: unknown }>;
    };
    expect(json.entries.map((e) => [e.actor, e.type])).toEqual([
      ['organiser:admin', 'setup.put'],
      ['organiser:admin', 'round.state'],
      ['judge:j1', 'marks.submit'],
      ['judge:c1', 'marks.submit'],
      ['judge:j1', 'marks.submit'],
      ['judge:c1', 'marks.submit'],
    ]);
    const csv = parseCsv(
      await (await api.call(`/competitions/${id}/audit.csv`, { token: organiser })).text(),
    );
    expect(csv.header).toEqual(['id', 'time', 'actor', 'type', 'opId', 'payload']);
    expect(csv.rows).toHaveLength(6);
    expect(csv.rows[2]?.cells[1]).toBe(new Date(json.entries[2]?.at ?? 0).toISOString());
    expect(JSON.parse(csv.rows[2]?.cells[5] ?? '')).toEqual(json.entries[2]?.payload);
    // The set-up's formula-like names are inside JSON text that starts with "{": harmless.
    for (const row of csv.rows) for (const cell of row.cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('lists the boards that have rows', async () => {
    const res = (await (await api.call(`/competitions/${id}/boards`, { token: organiser })).json()) as {
      boards: string[];
    };
    expect(res.boards).toContain(BOARD);
  });

  it('rate-limits writes per actor', async () => {
    // The limit is 20 writes per actor per clock second (fixed windows, writeLimiter.ts). On a busy
    // machine the burst can straddle window boundaries, so the bound is 20 per window it spanned.
    const burst = 60;
    const startWindow = Math.floor(Date.now() / 1000);
    const responses = await Promise.all(
      Array.from({ length: burst }, () =>
        api.call(`/competitions/${id}/commands/stage.set`, {
          method: 'POST',
          token: organiser,
          json: { opId: randomUUID(), eventId: 'weld', roundId: 'r1', contestantId: null },
        }),
      ),
    );
    const windows = Math.floor(Date.now() / 1000) - startWindow + 1;
    const statuses = responses.map((r) => r.status);
    const accepted = statuses.filter((s) => s === 200).length;
    const refused = responses.filter((r) => r.status === 429);
    expect(accepted + refused.length).toBe(burst);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(20 * windows);
    expect(refused.length).toBeGreaterThanOrEqual(burst - 20 * windows);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('archive and restore', () => {
  it('restores a Redis competition onto an embedded Podium with the same boards and log', async () => {
    const source = await startApi({ redisUrl: inject('redisUrl') });
    const target = await startApi();
    try {
      const organiser = await source.organiserToken();
      const id = await scoredCompetition(source, organiser);
      const res = await source.call(`/competitions/${id}/archive?gzip=1`, { token: organiser });
      expect(res.status).toBe(200);
      const gz = Buffer.from(await res.arrayBuffer());
      const archive = JSON.parse(gunzipSync(gz).toString('utf8')) as { format: string; log: unknown[] };
      expect(archive).toMatchObject({ format: 'podium-archive', version: 1, competitionId: id });
      expect(archive.log).toHaveLength(6);

      const targetToken = await target.organiserToken();
      const restore = (query = '') =>
        target.call(`/competitions/${id}/restore${query}`, {
          method: 'POST',
          token: targetToken,
          headers: { 'content-type': 'application/gzip' },
          body: gz,
        });
      const restored = await restore();
      expect(await restored.json()).toEqual({
        ok: true,
        competitionId: id,
        entries: 6,
        verified: { setup: true, control: true, rebuildDifferences: 0 },
      });
      expect(await target.store.top(id, BOARD, 0, 10)).toEqual(await source.store.top(id, BOARD, 0, 10));
      const strip = (entries: Array<{ id: string }>) => entries.map(({ id: _id, ...rest }) => rest);
      expect(strip(await target.store.readLog(id, undefined, 100))).toEqual(
        strip(await source.store.readLog(id, undefined, 100)),
      );

      const again = await restore();
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ ok: false, code: 'conflict' });
      expect((await restore('?replace=1')).status).toBe(200);
      expect((await target.store.readLog(id, undefined, 100)).length).toBe(6);
    } finally {
      await source.stop();
      await target.stop();
    }
  });

  it('refuses an archive of another competition or with a broken log, leaving nothing behind', async () => {
    const api = await startApi();
    try {
      const token = await api.organiserToken();
      const id = uniqueId();
      const base = {
        format: 'podium-archive',
        version: 1,
        competitionId: id,
        exportedAt: 0,
        setup: null,
        control: {},
      };
      const post = (doc: unknown, target = id) =>
        api.call(`/competitions/${target}/restore`, { method: 'POST', token, json: doc });
      expect((await post({ ...base, log: [] }, uniqueId())).status).toBe(400);
      const badEntry = {
        id: '1-0',
        at: 1,
        actor: 'organiser:admin',
        opId: 'op-12345678',
        type: 'round.state',
        payload: {},
      };
      const good = {
        id: '0-1',
        at: 1,
        actor: 'organiser:admin',
        opId: 'op-00000001',
        type: 'setup.put',
        payload: { opId: 'op-00000001', competition: sampleCompetition(id) },
      };
      const res = await post({ ...base, log: [good, badEntry] });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        ok: false,
        code: 'invalid_payload',
        message: expect.stringContaining('1-0'),
      });
      expect((await api.store.getSetup(id)).value).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
