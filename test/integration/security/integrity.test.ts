/**
 * Integrity under hostile or unlucky input (issue #12), on both stores: a failed restore leaves the
 * competition as it was; marks sent during a restore are refused with 'restoring'; screens reset
 * after a successful one; an opId is one actor's, never answered with another actor's write; a
 * duplicate answer carries the first log id; reserved ids are refused.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { replayArchive } from '../../../server/domain/restore.ts';
import { ContestService } from '../../../server/domain/service.ts';
import { scratchId } from '../../../server/store/types.ts';
import type { CommandResult } from '../../../shared/events.ts';
import { startTestPodium, type TestPodium } from '../../support/podium-server.ts';
import {
  ask,
  closeSockets,
  connectSocket,
  http,
  opId,
  ORGANISER,
  seedCompetition,
  snapshotState,
  uniqueId,
  type SeededCompetition,
} from '../../support/fixtures.ts';

const STORES = [
  ['Redis', () => inject('redisUrl')],
  ['embedded', () => undefined],
] as const;

interface ArchiveDoc {
  exportedAt: number;
  log: Array<{ id: string; type: string; payload: Record<string, unknown> }>;
  [key: string]: unknown;
}

describe.each(STORES)('integrity (%s store)', (_name, redisUrl) => {
  let podium: TestPodium;
  let organiser: string;

  beforeAll(async () => {
    const url = redisUrl();
    podium = await startTestPodium(url === undefined ? {} : { redisUrl: url });
    organiser = await podium.organiserToken();
  });
  afterAll(async () => {
    closeSockets();
    await podium.stop();
  });

  /** The archive as the organiser downloads it, without its time of export. */
  async function exported(competitionId: string): Promise<ArchiveDoc> {
    const res = await http(podium.url, `/api/competitions/${competitionId}/archive`, { token: organiser });
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text) as ArchiveDoc;
    return { ...doc, exportedAt: 0 };
  }

  const restore = (competitionId: string, body: string, query = '?replace=1') =>
    http(podium.url, `/api/competitions/${competitionId}/restore${query}`, {
      method: 'POST',
      token: organiser,
      body,
    });

  async function judgeSocket(
    seeded: SeededCompetition,
    judge: 'judge' | 'lateJudge' = 'judge',
  ): Promise<Socket> {
    return connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials[judge] } });
  }

  function mark(competitionId: string, contestantId: string, value: string, id = opId()) {
    return { opId: id, competitionId, eventId: 'e1', roundId: 'r1', contestantId, marks: { q: value } };
  }

  describe('restore', () => {
    /** A seeded competition with a few more marks, and its archive. */
    async function scored(): Promise<{ seeded: SeededCompetition; archive: ArchiveDoc; text: string }> {
      const seeded = await seedCompetition(podium, uniqueId('rst'));
      const socket = await judgeSocket(seeded);
      for (const [c, v] of [
        ['c2', '7'],
        ['c3', '9.5'],
        ['c4', '6'],
      ] as const) {
        expect(await ask(socket, 'cmd:marks.submit', [mark(seeded.competitionId, c, v)])).toMatchObject({
          ok: true,
        });
      }
      const archive = await exported(seeded.competitionId);
      return { seeded, archive, text: JSON.stringify(archive) };
    }

    it('a restore whose last entry is damaged leaves the live competition exactly as it was (issue #12: it was deleted)', async () => {
      const { seeded, archive } = await scored();
      const id = seeded.competitionId;
      const stateBefore = await snapshotState(podium.store, id);
      const last = archive.log.at(-1);
      if (last === undefined) throw new Error('empty archive');
      const damaged = [
        // The last entry's payload does not parse.
        {
          ...archive,
          log: [...archive.log.slice(0, -1), { ...last, payload: { ...last.payload, marks: { q: 'x' } } }],
        },
        // The last entry parses but cannot be replayed (a mark for a contestant that does not exist).
        {
          ...archive,
          log: [...archive.log.slice(0, -1), { ...last, payload: { ...last.payload, contestantId: 'zz' } }],
        },
        // An unknown entry type at the end.
        { ...archive, log: [...archive.log, { ...last, id: '9999999999999-0', type: 'nonsense' }] },
        // Every entry replays, but the archive's set-up is not what they produce.
        { ...archive, setup: { ...(archive.setup as object), name: 'Not what the log says' } },
      ];
      for (const doc of damaged) {
        const res = await restore(id, JSON.stringify(doc));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ ok: false, code: 'invalid_payload' });
        expect(await exported(id)).toEqual(archive);
        expect(await snapshotState(podium.store, id)).toEqual(stateBefore);
        expect(await podium.store.readLog(scratchId(id), undefined, 10)).toEqual([]);
      }
      // Still alive and writable: the competition was never gone.
      const socket = await judgeSocket(seeded);
      expect(await ask(socket, 'cmd:marks.submit', [mark(id, 'c5', '8')])).toMatchObject({ ok: true });
    });

    it('restores a good archive over the competition, and screens get board:reset', async () => {
      const { seeded, archive, text } = await scored();
      const id = seeded.competitionId;
      const board = 'e1|r1|individual';
      // Marks after the export: the restore takes the competition back to the archive.
      const judge = await judgeSocket(seeded);
      expect(await ask(judge, 'cmd:marks.submit', [mark(id, 'c6', '10')])).toMatchObject({ ok: true });
      const screen = await connectSocket(podium.url, '/public');
      await ask(screen, 'competition:watch', [{ competitionId: id }]);
      expect(await ask(screen, 'board:subscribe', [{ competitionId: id, board }])).toMatchObject({
        ok: true,
      });
      const resets: unknown[] = [];
      screen.on('board:reset', (req: unknown) => resets.push(req));

      const res = await restore(id, text);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ok: true,
        entries: archive.log.length,
        verified: { setup: true, control: true, rebuildDifferences: 0 },
      });
      const after = await exported(id);
      const strip = (doc: ArchiveDoc) => ({ ...doc, log: doc.log.map(({ id: _id, ...rest }) => rest) });
      expect(strip(after)).toEqual(strip(archive));
      await expect.poll(() => resets, { timeout: 10_000 }).toContainEqual({ competitionId: id, board });
      // The competition takes marks again, and a mark of the archive repeated is a duplicate.
      expect(await ask(judge, 'cmd:marks.submit', [mark(id, 'c7', '5')])).toMatchObject({ ok: true });
      const replayed = archive.log.find((e) => e.type === 'marks.submit');
      const again = await ask<CommandResult>(judge, 'cmd:marks.submit', [replayed?.payload]);
      expect(again).toMatchObject({ ok: true, duplicate: true });
    });

    it('refuses marks sent while a restore runs with "restoring", writing nothing (issue #12)', async () => {
      const { seeded, text } = await scored();
      const id = seeded.competitionId;
      const judge = await judgeSocket(seeded);
      const apiKey = seeded.credentials.apiKey;
      const during: unknown[] = [];
      let stateDuring: unknown;
      const restored = podium.service.replaceCompetition(id, true, async (scratch) => {
        stateDuring = await snapshotState(podium.store, id);
        // A judge's tablet and a timing system write while the scratch space is being filled.
        during.push(await ask(judge, 'cmd:marks.submit', [mark(id, 'c8', '9')]));
        during.push(
          (
            await http(podium.url, `/api/competitions/${id}/commands/finish.set`, {
              method: 'POST',
              apiKey,
              json: { opId: opId(), eventId: 'e1', roundId: 'r1', contestantId: 'c8', finishedAt: 1 },
            })
          ).body,
        );
        expect(await snapshotState(podium.store, id)).toEqual(stateDuring);
        return replayArchive(scratch, id, JSON.parse(text) as Parameters<typeof replayArchive>[2]);
      });
      await restored;
      expect(during).toEqual([
        expect.objectContaining({ ok: false, code: 'restoring' }),
        expect.objectContaining({ ok: false, code: 'restoring' }),
      ]);
      // After the restore the same mark is accepted: the tablet's outbox sends it again.
      expect(await ask(judge, 'cmd:marks.submit', [mark(id, 'c8', '9')])).toMatchObject({ ok: true });
      // And a second restore started while one runs is refused the same way.
      const slow = podium.service.replaceCompetition(id, true, async () => {
        const second = await restore(id, text);
        expect(second.body).toMatchObject({ ok: false, code: 'restoring' });
        expect(second.status).toBe(503);
        throw new Error('abandoned on purpose');
      });
      await expect(slow).rejects.toThrow('abandoned on purpose');
    });

    it('refuses the swap when another node wrote the competition during the restore, keeping that write', async () => {
      const { seeded, text } = await scored();
      const id = seeded.competitionId;
      // Another Podium process on the same store: it does not know this node is restoring.
      const otherNode = new ContestService({ store: podium.store });
      let stateWithMark: unknown;
      const restored = podium.service.replaceCompetition(id, true, async (scratch) => {
        const result = await otherNode.execute(
          { kind: 'judge', judgeId: 'j1', competitionId: id, role: 'judge' },
          { name: 'marks.submit', payload: mark(id, 'c11', '4') },
        );
        expect(result.duplicate).toBe(false);
        stateWithMark = await snapshotState(podium.store, id);
        return replayArchive(scratch, id, JSON.parse(text) as Parameters<typeof replayArchive>[2]);
      });
      await expect(restored).rejects.toMatchObject({ code: 'conflict' });
      expect(await snapshotState(podium.store, id)).toEqual(stateWithMark);
      expect(
        (await podium.store.getSheet(id, { eventId: 'e1', roundId: 'r1', contestantId: 'c11' })).value.marks,
      ).toEqual({
        j1: { q: '4' },
      });
      // Nothing of the scratch space is left behind.
      expect(await podium.store.getSetup(scratchId(id))).toEqual({ value: null, version: 0 });
      expect(await podium.store.readLog(scratchId(id), undefined, 10)).toEqual([]);
    });

    it('without ?replace=1 an existing competition is refused with conflict and left alone', async () => {
      const { seeded, archive, text } = await scored();
      const res = await restore(seeded.competitionId, text, '');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ ok: false, code: 'conflict' });
      expect(await exported(seeded.competitionId)).toEqual(archive);
    });
  });

  describe('operation ids belong to their actor', () => {
    it("refuses another API key's opId with op_id_conflict, never answering with their result (issue #12)", async () => {
      const seeded = await seedCompetition(podium, uniqueId('opid'));
      const id = seeded.competitionId;
      const second = (await podium.auth.issueApiKey(id, 'Second timer', ORGANISER)).key;
      const finish = (key: string, contestantId: string, finishedAt: number) =>
        http(podium.url, `/api/competitions/${id}/commands/finish.set`, {
          method: 'POST',
          apiKey: key,
          // The opId format docs/API.md shows: two timing systems may well both count from 1.
          json: { opId: 'timer-000123', eventId: 'e1', roundId: 'r1', contestantId, finishedAt },
        });
      const first = await finish(seeded.credentials.apiKey, 'c2', 1_000);
      expect(first.status).toBe(200);
      const before = await snapshotState(podium.store, id);

      const other = await finish(second, 'c3', 2_000);
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ ok: false, code: 'op_id_conflict' });
      expect(other.body).not.toHaveProperty('sheet');
      expect(await snapshotState(podium.store, id)).toEqual(before);

      // The key that wrote it gets its own first answer, with the first log id (issue #12: was "").
      const repeated = await finish(seeded.credentials.apiKey, 'c2', 1_000);
      expect(repeated.status).toBe(200);
      expect(repeated.body).toMatchObject({ ok: true, duplicate: true, logId: first.body.logId });
      expect(first.body.logId).toMatch(/^\d+-\d+$/);
      expect(repeated.body.sheet).toEqual(first.body.sheet);
    });

    it("refuses another judge's opId with op_id_conflict; a judge's own repeat gets the first log id (issue #12)", async () => {
      const seeded = await seedCompetition(podium, uniqueId('opid'));
      const id = seeded.competitionId;
      const j1 = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
      const jl = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.lateJudge } });
      const shared = opId();
      const first = await ask<CommandResult>(j1, 'cmd:marks.submit', [mark(id, 'c3', '8', shared)]);
      expect(first).toMatchObject({ ok: true, duplicate: false });
      const before = await snapshotState(podium.store, id);

      const other = await ask(jl, 'cmd:marks.submit', [mark(id, 'c4', '3', shared)]);
      expect(other).toMatchObject({ ok: false, code: 'op_id_conflict' });
      expect(await snapshotState(podium.store, id)).toEqual(before);

      const again = await ask<CommandResult>(j1, 'cmd:marks.submit', [mark(id, 'c3', '8', shared)]);
      expect(again).toMatchObject({ ok: true, duplicate: true });
      expect(again.ok && first.ok && again.logId === first.logId && first.logId !== '').toBe(true);
      // The other judge, with a new opId, is written.
      expect(await ask(jl, 'cmd:marks.submit', [mark(id, 'c4', '3')])).toMatchObject({ ok: true });
    });

    it('a repeat whose command no longer applies still gets its first answer, and another actor still a refusal', async () => {
      const seeded = await seedCompetition(podium, uniqueId('opid'));
      const id = seeded.competitionId;
      const chief = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.chief } });
      const j1 = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.judge } });
      const shared = opId();
      const first = await ask<CommandResult>(j1, 'cmd:marks.submit', [mark(id, 'c9', '8', shared)]);
      expect(first).toMatchObject({ ok: true });
      const lock = {
        opId: opId(),
        competitionId: id,
        eventId: 'e1',
        roundId: 'r1',
        contestantId: 'c9',
        locked: true,
      };
      expect(await ask(chief, 'cmd:sheet.lock', [lock])).toMatchObject({ ok: true });
      // Planning fails now (locked), the stored first answer is still the answer to its actor…
      const again = await ask<CommandResult>(j1, 'cmd:marks.submit', [mark(id, 'c9', '8', shared)]);
      expect(again).toMatchObject({ ok: true, duplicate: true });
      expect(again.ok && first.ok && again.logId === first.logId).toBe(true);
      // …and to anyone else it is not theirs.
      const jl = await connectSocket(podium.url, '/judge', { auth: { token: seeded.credentials.lateJudge } });
      expect(await ask(jl, 'cmd:marks.submit', [mark(id, 'c9', '1', shared)])).toMatchObject({
        ok: false,
        code: 'op_id_conflict',
      });
    });
  });

  describe('names and CSV cells', () => {
    it.each(['\u200B', '\u3164', '\u115F', '\u3164\u200B\uFEFF', '\u2800'])(
      'refuses a contestant named only %j (issue #12: invisible names were accepted)',
      async (invisible) => {
        const seeded = await seedCompetition(podium, uniqueId('nam'));
        const id = seeded.competitionId;
        const before = await snapshotState(podium.store, id);
        const contestants = seeded.setup.contestants.map((c, i) => (i === 0 ? { ...c, name: invisible } : c));
        const res = await http(podium.url, `/api/competitions/${id}/commands/setup.put`, {
          method: 'POST',
          token: organiser,
          json: { opId: opId(), competition: { ...seeded.setup, contestants } },
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ ok: false, code: 'invalid_payload' });
        expect(String(res.body.message)).toMatch(/visible character|must not be empty/);
        expect(await snapshotState(podium.store, id)).toEqual(before);
      },
    );

    it('exports names starting with full-width formula signs as text (issue #12)', async () => {
      const seeded = await seedCompetition(podium, uniqueId('csv'));
      const id = seeded.competitionId;
      const names = ['＝1+1', '＋86 123', '－2+3', '＠SUM(A1)', ' =1+1'];
      const contestants = seeded.setup.contestants.map((c, i) => ({ ...c, name: names[i] ?? c.name }));
      const put = await http(podium.url, `/api/competitions/${id}/commands/setup.put`, {
        method: 'POST',
        token: organiser,
        json: { opId: opId(), competition: { ...seeded.setup, contestants } },
      });
      expect(put.status).toBe(200);
      const socket = await judgeSocket(seeded);
      for (const c of ['c2', 'c3', 'c4', 'c5']) {
        expect(await ask(socket, 'cmd:marks.submit', [mark(id, c, '5')])).toMatchObject({ ok: true });
      }
      const csv = await http(
        podium.url,
        `/api/competitions/${id}/results.csv?board=${encodeURIComponent('e1|r1|individual')}`,
        { token: organiser },
      );
      expect(csv.status).toBe(200);
      const cells = csv.text.split(/\r\n/).flatMap((line) => line.split(','));
      for (const name of names.slice(0, 4)) expect(cells).toContain(`'${name.trim()}`);
      for (const cell of cells) expect(cell).not.toMatch(/^[\s"]*[=+\-@＝＋－＠]/u);
    });
  });

  describe('reserved ids', () => {
    it.each(['__proto__', 'constructor', 'prototype'])(
      'refuses a set-up with a judge, contestant, event or criterion id %j (issue #12: acks for marks never stored)',
      async (reserved) => {
        const seeded = await seedCompetition(podium, uniqueId('rid'));
        const id = seeded.competitionId;
        const before = await snapshotState(podium.store, id);
        const variants = [
          { ...seeded.setup, judges: [...seeded.setup.judges, { ...seeded.setup.judges[0], id: reserved }] },
          {
            ...seeded.setup,
            contestants: [...seeded.setup.contestants, { ...seeded.setup.contestants[0], id: reserved }],
          },
          {
            ...seeded.setup,
            events: [{ ...seeded.setup.events[0], id: reserved }, ...seeded.setup.events.slice(1)],
          },
        ];
        for (const competition of variants) {
          // Sent as JSON text, so "__proto__" arrives as a plain value.
          const res = await http(podium.url, `/api/competitions/${id}/commands/setup.put`, {
            method: 'POST',
            token: organiser,
            body: JSON.stringify({ opId: opId(), competition }),
          });
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ ok: false, code: 'invalid_payload' });
          expect(String(res.body.message)).toMatch(/reserved/);
        }
        expect(await snapshotState(podium.store, id)).toEqual(before);
      },
    );
  });
});
