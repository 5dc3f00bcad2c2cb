import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSetup, sampleCompetition, startApi, uniqueId, type Api } from './harness.ts';

const BOM = '\uFEFF';

describe('CSV import (embedded store)', () => {
  let api: Api;
  let organiser: string;

  beforeAll(async () => {
    api = await startApi();
    organiser = await api.organiserToken();
  });
  afterAll(async () => api.stop());

  async function fresh(): Promise<string> {
    const id = uniqueId();
    await putSetup(api, organiser, sampleCompetition(id));
    return id;
  }

  const upload = (id: string, kind: string, body: string | Uint8Array<ArrayBuffer>, query = '') =>
    api.call(`/competitions/${id}/import/${kind}${query}`, {
      method: 'POST',
      token: organiser,
      headers: { 'content-type': 'text/csv' },
      body,
    });

  it('imports contestants from a UTF-8 file with BOM and Chinese headers', async () => {
    const id = await fresh();
    const csv = `${BOM}参赛号,姓名,单位,地区,赛项,团队,组别\r\nB101,周一,三厂,上海,焊工,上海队,职工组\r\nB102,吴二,四厂,北京,焊工,,学生组\r\n`;
    const res = await upload(id, 'contestants', csv);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { ok: boolean; logId: string; newTeams: unknown[] };
    expect(answer).toMatchObject({ ok: true, dryRun: false, newTeams: [{ id: 'team-1', name: '上海队' }] });
    const setup = (await api.store.getSetup(id)).value;
    expect(setup?.contestants.map((c) => c.bib)).toEqual(['A001', 'A002', 'B101', 'B102']);
    expect(setup?.contestants[2]).toMatchObject({ name: '周一', teamId: 'team-1', category: '职工组' });
  });

  it('with one bad row answers 400 with its line and imports nothing', async () => {
    const id = await fresh();
    const before = await api.store.getSetup(id);
    const csv = [
      '参赛号,姓名,单位,地区',
      'B201,周一,三厂,上海',
      'B 202,吴二,四厂,北京',
      'B203,郑三,五厂,天津',
    ].join('\n');
    const res = await upload(id, 'contestants', csv);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as {
      ok: boolean;
      code: string;
      errors: Array<{ line: number; field: string }>;
    };
    expect(answer).toMatchObject({ ok: false, code: 'invalid_payload' });
    // A stable code and the header the file used, for the client to translate (issue #15).
    expect(answer.errors).toEqual([
      { line: 3, field: 'bib', column: '参赛号', code: 'invalid_bib', message: expect.any(String) as string },
    ]);
    const after = await api.store.getSetup(id);
    expect(after.version).toBe(before.version);
    expect(after.value?.contestants).toHaveLength(2);
  });

  it('previews with ?dryRun=1 without changing anything', async () => {
    const id = await fresh();
    const res = await upload(id, 'contestants', 'bib,name,company,region\nC1,Zhou,Works,SH\n', '?dryRun=1');
    expect(await res.json()).toMatchObject({
      ok: true,
      dryRun: true,
      contestants: [
        { id: 'C1', eventId: 'weld', bib: 'C1', name: 'Zhou', organisation: 'Works', region: 'SH' },
      ],
    });
    expect((await api.store.getSetup(id)).value?.contestants).toHaveLength(2);
  });

  it('imports a GB18030 file as Excel in China saves it (regression: GBK/GB18030 uploads were refused)', async () => {
    const id = await fresh();
    // "参赛号,姓名,单位,地区\nG1,刘䶮,一厂,苏\n" in GB18030 (iconv -t GB18030).
    const gb18030 = new Uint8Array([
      0xb2, 0xce, 0xc8, 0xfc, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xa5, 0xce, 0xbb, 0x2c,
      0xb5, 0xd8, 0xc7, 0xf8, 0x0a, 0x47, 0x31, 0x2c, 0xc1, 0xf5, 0xfe, 0x9f, 0x2c, 0xd2, 0xbb, 0xb3, 0xa7,
      0x2c, 0xcb, 0xd5, 0x0a,
    ]);
    const res = await upload(id, 'contestants', gb18030);
    expect(res.status).toBe(200);
    const setup = (await api.store.getSetup(id)).value;
    expect(setup?.contestants.find((c) => c.bib === 'G1')).toMatchObject({
      name: '刘䶮',
      organisation: '一厂',
    });
  });

  it('refuses a file mixing UTF-8 and GBK lines with the first bad line instead of importing mojibake', async () => {
    const id = await fresh();
    const header = new TextEncoder().encode('参赛号,姓名,单位,地区\nD1,');
    const gbkName = [0xd5, 0xc5, 0xc8, 0xfd]; // 张三 in GBK
    const res = await upload(
      id,
      'contestants',
      new Uint8Array([...header, ...gbkName, ...new TextEncoder().encode(',厂,苏\n')]),
    );
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { errors: Array<{ line: number; message: string }> };
    expect(answer.errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/UTF-8/) as string });
  });

  it('imports judges; each can then get a code', async () => {
    const id = await fresh();
    const res = await upload(id, 'judges', '姓名,角色,赛项\n孙评委,裁判,焊工\n');
    expect(res.status).toBe(200);
    const judges = (await api.store.getSetup(id)).value?.judges ?? [];
    expect(judges.map((j) => [j.id, j.role])).toEqual([
      ['j1', 'judge'],
      ['c1', 'chief'],
      ['judge-1', 'judge'],
    ]);
    const code = await api.call(`/competitions/${id}/judges/judge-1/code`, {
      method: 'POST',
      token: organiser,
    });
    expect(code.status).toBe(200);
  });

  it('accepts its own template back', async () => {
    const id = await fresh();
    const template = await api.call('/templates/contestants.csv');
    expect(template.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await template.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('参赛号,姓名,单位,地区,赛项');
    const res = await upload(id, 'contestants', bytes);
    expect(res.status).toBe(200);
  });

  it('answers 413 for a file over the size limit', async () => {
    const id = await fresh();
    const big = `参赛号,姓名,单位,地区\n${'E1,某,某,某\n'.repeat(600_000)}`;
    const res = await upload(id, 'contestants', big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, code: 'invalid_payload' });
  });

  it('answers 404 before a set-up exists', async () => {
    const res = await upload(uniqueId(), 'contestants', '参赛号\nA\n');
    expect(res.status).toBe(404);
  });
});
