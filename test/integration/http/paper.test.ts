/**
 * Issue #14 item 5, paper and proof: score-sheet data with the marks a trimmed mean dropped, the
 * per-judge marks export and its file name, certificates whose QR address checks publicly as
 * valid, revoked after a correction, invalid when forged, unavailable under embargo — and the
 * rate limits. Real HTTP, real Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../../server/domain/actor.ts';
import { PRINT_READS_PER_SECOND, VERIFY_CHECKS_PER_MINUTE } from '../../../server/http/routes/paper.ts';
import type { Command } from '../../../shared/commands.ts';
import type { OfficialLines } from '../../../shared/officialLines.ts';
import {
  certificatesSchema,
  noticeSchema,
  scoreSheetsSchema,
  verificationSchema,
  type Verification,
} from '../../../shared/paper.ts';
import {
  PUBLIC_URL,
  putSetup,
  sampleCompetition,
  startApi,
  uniqueId,
  type Api,
  ORGANISER,
  runCommand,
} from './harness.ts';

const BOARD = 'weld|r1|individual';

describe('paper and proof (Redis store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi({ redisUrl: inject('redisUrl') });
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function competition(): Promise<string> {
    const id = uniqueId('paper');
    await putSetup(
      api,
      organiser,
      sampleCompetition(id, {
        name: '2026 焊工技能大赛',
        events: [
          {
            id: 'weld',
            name: '焊工',
            criteria: [
              { id: 'quality', label: '焊缝质量', max: 10, step: 0.5 },
              {
                id: 'gap',
                label: '间隙 mm',
                max: 10,
                step: 0.1,
                kind: 'measured',
                convert: { kind: 'linear', best: '0', cutoff: '2', points: '2' },
              },
            ],
            scoring: {
              aggregation: { kind: 'trimmed', trim: 1 },
              decimals: 2,
              medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
            },
            rounds: [{ id: 'r1', name: '决赛', kind: 'final', mode: 'onsite' }],
          },
        ],
        judges: [
          { id: 'j1', name: '赵裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'j2', name: '孙裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'j3', name: '周裁判', role: 'judge', eventIds: ['weld'] },
          { id: 'c1', name: '钱裁判长', role: 'chief', eventIds: ['weld'] },
        ],
      }),
    );
    await run({ name: 'round.state', payload: { ...target(id), state: 'open' } });
    return id;
  }

  function target(id: string) {
    return { opId: randomUUID(), competitionId: id, eventId: 'weld', roundId: 'r1' };
  }

  async function run(command: Command, actor: Actor = ORGANISER): Promise<void> {
    await runCommand(api, command, actor);
  }

  async function mark(id: string, contestantId: string, judgeId: string, quality: string): Promise<void> {
    const role = judgeId === 'c1' ? 'chief' : 'judge';
    await run(
      { name: 'marks.submit', payload: { ...target(id), contestantId, marks: { quality } } },
      { kind: 'judge', judgeId, competitionId: id, role },
    );
  }

  /** A001: marks 8, 9, 7, 8.5 (trimmed: 7 and 9 dropped → 8.25), gap 0.5 mm (1.5 points), −0.5 → 9.25. */
  async function scored(id: string): Promise<void> {
    for (const [judge, value] of [
      ['j1', '8'],
      ['j2', '9'],
      ['j3', '7'],
      ['c1', '8.5'],
    ] as const) {
      await mark(id, 'A001', judge, value);
      await mark(id, 'A002', judge, '6');
    }
    for (const contestantId of ['A001', 'A002']) {
      await run({
        name: 'measured.enter',
        payload: { ...target(id), contestantId, criterionId: 'gap', value: '0.5' },
      });
    }
    await run({
      name: 'deduction.add',
      payload: {
        ...target(id),
        contestantId: 'A001',
        deduction: { id: 'd1', points: '0.5', reason: '未清理焊渣' },
      },
    });
  }

  async function certificates(id: string) {
    const res = await api.call(`/competitions/${id}/print/certificates?board=${encodeURIComponent(BOARD)}`, {
      token: organiser,
    });
    expect(res.status).toBe(200);
    return certificatesSchema.parse(await res.json());
  }

  /** Open a certificate's address as a phone would: the query of its verification page, sent to /api/verify. */
  async function check(verifyUrl: string): Promise<Verification> {
    const url = new URL(verifyUrl);
    const res = await api.call(`/verify${url.search}`);
    expect(res.status).toBe(200);
    return verificationSchema.parse(await res.json());
  }

  it('score sheets show every judge’s mark, strike what the trimmed mean dropped, and total like the board', async () => {
    const id = await competition();
    await scored(id);
    const res = await api.call(`/competitions/${id}/print/sheets?event=weld&round=r1`, { token: organiser });
    expect(res.status).toBe(200);
    const data = scoreSheetsSchema.parse(await res.json());
    expect(data.judges.map((j) => j.id)).toEqual(['j1', 'j2', 'j3', 'c1']);
    expect(data.chiefs).toEqual([{ id: 'c1', name: '钱裁判长' }]);
    expect(data.status).toBe('provisional');
    const a = data.sheets.find((s) => s.contestant.id === 'A001');
    expect(a?.criteria[0]?.marks).toEqual([
      { judgeId: 'j1', mark: '8', dropped: false },
      { judgeId: 'j2', mark: '9', dropped: true },
      { judgeId: 'j3', mark: '7', dropped: true },
      { judgeId: 'c1', mark: '8.5', dropped: false },
    ]);
    expect(a?.criteria[0]?.score).toBe('8.25');
    expect(a?.criteria[1]).toMatchObject({ kind: 'measured', measured: '0.5', score: '1.50' });
    expect(a?.deductions).toEqual([{ points: '0.5', reason: '未清理焊渣' }]);
    expect(a).toMatchObject({ total: '9.25', rank: 1, complete: true });
    // Equal marks: the low cut takes the judge listed first, the high cut the one listed last (stable on reprint).
    const b = data.sheets.find((s) => s.contestant.id === 'A002');
    expect(b?.criteria[0]?.marks.map((m) => m.dropped)).toEqual([true, false, false, true]);

    const one = await api.call(`/competitions/${id}/print/sheets?event=weld&round=r1&contestant=A002`, {
      token: organiser,
    });
    expect(scoreSheetsSchema.parse(await one.json()).sheets.map((s) => s.contestant.id)).toEqual(['A002']);
    expect((await api.call(`/competitions/${id}/print/sheets?event=weld&round=r1`)).status).toBe(401);
    expect(
      (await api.call(`/competitions/${id}/print/sheets?event=weld&round=nope`, { token: organiser })).status,
    ).toBe(404);
    expect((await api.call(`/competitions/${id}/print/sheets?event=weld`, { token: organiser })).status).toBe(
      400,
    );
  });

  it('exports per-judge marks with dropped marks flagged, named after competition, event, round and board', async () => {
    const id = await competition();
    await scored(id);
    const res = await api.call(`/competitions/${id}/marks.csv?event=weld&round=r1`, { token: organiser });
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(
      '2026 焊工技能大赛_焊工_决赛_评分明细 marks.csv',
    );
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('参赛号,姓名,单位,评分项,类型,裁判,分数,被去掉,评分项得分,总分,状态');
    expect(lines).toContain('A001,张三,一厂,焊缝质量,评分 judged,孙裁判,9,是,8.25,9.25,');
    expect(lines).toContain('A001,张三,一厂,焊缝质量,评分 judged,赵裁判,8,,8.25,9.25,');
    expect(lines).toContain('A001,张三,一厂,间隙 mm,测量 measured,,0.5,,1.50,9.25,');

    const results = await api.call(`/competitions/${id}/results.csv?board=${encodeURIComponent(BOARD)}`, {
      token: organiser,
    });
    const name = decodeURIComponent(
      (results.headers.get('content-disposition') ?? '').split("UTF-8''")[1] ?? '',
    );
    expect(name).toBe('2026 焊工技能大赛_焊工 · 决赛_成绩 results.csv');
  });

  it('a certificate checks valid, shows revoked after a correction, invalid when forged, and final after finalize', async () => {
    const id = await competition();
    await scored(id);
    const issued = await certificates(id);
    const first = issued.certificates.find((c) => c.contestantId === 'A001');
    expect(first).toMatchObject({ rank: 1, total: '9.25', medal: 'gold', name: '张三' });
    // The QR address is the public one (PUBLIC_URL), never loopback.
    expect(first?.verifyUrl.startsWith(`${PUBLIC_URL}/verify/?`)).toBe(true);
    const url = first?.verifyUrl ?? '';
    expect(await check(url)).toMatchObject({
      verdict: 'valid',
      status: 'provisional',
      certified: { name: '张三', rank: 1, total: '9.25', medal: 'gold' },
      current: { rank: 1, total: '9.25', medal: 'gold' },
    });

    // Forged: a better total, or a rank changed, with the same code.
    const forged = new URL(url);
    forged.searchParams.set('t', '9.75');
    expect(await check(forged.toString())).toEqual({
      ok: true,
      verdict: 'invalid',
      certified: null,
      current: null,
      status: null,
    });
    const elsewhere = new URL(url);
    elsewhere.searchParams.set('c', 'no-such-competition');
    expect((await check(elsewhere.toString())).verdict).toBe('invalid');

    // A correction (j1's 8 voided → 8.5 and 8.5 remain… trimmed of 3: 8.5) changes the result: revoked.
    await run({
      name: 'mark.correct',
      payload: {
        ...target(id),
        contestantId: 'A001',
        judgeId: 'j1',
        criterionId: 'quality',
        value: '5',
        reason: '复核',
      },
    });
    const revoked = await check(url);
    expect(revoked.verdict).toBe('revoked');
    expect(revoked.current?.total).not.toBe('9.25');

    // Reissued after finalize (no notice period set: final at once): valid and final.
    await run({ name: 'round.finalize', payload: target(id) });
    const reissued = (await certificates(id)).certificates.find((c) => c.contestantId === 'A001');
    expect(reissued?.code).not.toBe(first?.code);
    expect(await check(reissued?.verifyUrl ?? '')).toMatchObject({ verdict: 'valid', status: 'final' });
    expect((await certificates(id)).status).toBe('final');
    // The same result reissued gives the same code (nothing is stored per certificate).
    expect((await certificates(id)).certificates.find((c) => c.contestantId === 'A001')?.code).toBe(
      reissued?.code,
    );
  });

  it('says nothing about a result the public board hides (embargo)', async () => {
    const id = await competition();
    await scored(id);
    const url = (await certificates(id)).certificates[0]?.verifyUrl ?? '';
    await run({
      name: 'event.embargo',
      payload: { opId: randomUUID(), competitionId: id, eventId: 'weld', embargoed: true },
    });
    expect(await check(url)).toEqual({
      ok: true,
      verdict: 'unavailable',
      certified: null,
      current: null,
      status: null,
    });
  });

  it('the results notice carries the organiser’s rows and the official status', async () => {
    const id = await competition();
    await scored(id);
    const res = await api.call(`/competitions/${id}/print/notice?board=${encodeURIComponent(BOARD)}`, {
      token: organiser,
    });
    expect(res.status).toBe(200);
    const notice = noticeSchema.parse(await res.json());
    expect(notice.official).toBe('provisional');
    expect(notice.results.rows.map((r) => [r.contestant?.name, r.rank, r.total])).toEqual([
      ['张三', 1, '9.25'],
      ['李四', 2, '7.50'],
    ]);
    expect((await api.call(`/competitions/${id}/print/notice?board=nope`, { token: organiser })).status).toBe(
      404,
    );
  });

  it('the notice carries its end and the appeal deadline; the official read lists signatures and appeals (organiser only)', async () => {
    const id = await competition();
    await scored(id);
    const chief: Actor = { kind: 'judge', judgeId: 'c1', competitionId: id, role: 'chief' };
    await run({ name: 'sheet.sign', payload: { ...target(id), contestantId: 'A001', signed: true } }, chief);
    await run({
      name: 'appeal.file',
      payload: { ...target(id), contestantId: 'A002', appealId: 'a1', grounds: '评委漏看' },
    });
    const closesAt = Date.now() + 3_600_000;
    const endsAt = Date.now() + 7 * 86_400_000;
    const { opId, competitionId, eventId } = target(id);
    await run({ name: 'appeal.deadline', payload: { opId, competitionId, eventId, closesAt } });
    await run({ name: 'round.finalize', payload: { ...target(id), noticeEndsAt: endsAt } });

    const res = await api.call(`/competitions/${id}/print/notice?board=${encodeURIComponent(BOARD)}`, {
      token: organiser,
    });
    const notice = noticeSchema.parse(await res.json());
    expect([notice.official, notice.noticeEndsAt, notice.appealsCloseAt]).toEqual([
      'finalized',
      endsAt,
      closesAt,
    ]);

    const path = `/competitions/${id}/official?event=weld&round=r1`;
    const read = await api.call(path, { token: organiser });
    expect(read.status).toBe(200);
    const body = (await read.json()) as OfficialLines;
    expect(body).toMatchObject({ status: 'finalized', appealsCloseAt: closesAt, noticeEndsAt: endsAt });
    expect(body.lines).toEqual([
      { contestantId: 'A001', signed: true, signedBy: 'c1', appeals: [] },
      {
        contestantId: 'A002',
        signed: false,
        signedBy: null,
        appeals: [{ id: 'a1', grounds: '评委漏看', status: 'open' }],
      },
    ]);
    expect((await api.call(path)).status).toBe(401);
    expect(
      (await api.call(`/competitions/${id}/official?event=weld&round=nope`, { token: organiser })).status,
    ).toBe(404);
    expect((await api.call(`/competitions/${id}/official?event=weld`, { token: organiser })).status).toBe(
      400,
    );
  });

  it('rate-limits certificate checks per address (flood → 429 with Retry-After) and print reads', async () => {
    // Bad input: a clear code, and nothing read.
    const bad = await api.call('/verify?c=x');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_payload');
    const fake = `/verify?c=x&b=weld%7Cr1%7Cindividual&p=A001&k=1&t=9.25&m=gold&s=${'A'.repeat(22)}`;
    const answers = await Promise.all(
      Array.from({ length: VERIFY_CHECKS_PER_MINUTE + 20 }, () => api.call(fake)),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(VERIFY_CHECKS_PER_MINUTE);

    const id = await competition();
    const reads = await Promise.all(
      Array.from({ length: PRINT_READS_PER_SECOND * 3 }, () =>
        api.call(`/competitions/${id}/print/sheets?event=weld&round=r1`, { token: organiser }),
      ),
    );
    expect(reads.some((r) => r.status === 429)).toBe(true);
  });
});
