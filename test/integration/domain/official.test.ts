/**
 * Issue #14, official results: the chief judge's sign-off, appeals decided by the arbitration
 * (organiser) and carried out as linked corrections, and the public notice with its qualification
 * line (递补) — in both stores, each step a command in the log, and the rebuild finds zero
 * differences. The worked examples of docs/RULES.md, "Official results", are these cases.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RankedRow } from '../../../shared/boards.ts';
import {
  commandSchemas,
  type Command,
  type CommandInput,
  type CommandName,
} from '../../../shared/commands.ts';
import { competitionSchema, type Competition } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { parseControl } from '../../../server/domain/control.ts';
import { PodiumError } from '../../../server/domain/errors.ts';
import { isFinal } from '../../../server/domain/officialOps.ts';
import { rebuild } from '../../../server/domain/rebuild.ts';
import { ContestService } from '../../../server/domain/service.ts';
import type { Store } from '../../../server/store/index.ts';
import { ORGANISER, op, putSetup, storeKinds, uniqueId } from './helpers.ts';

const HOUR = 3_600_000;

/** Welding, criterion q (0–10, step 0.5, mean of the panel); heat r1 sends its best 2 on. */
function officialCompetition(chiefOnPanel = false): Competition {
  return competitionSchema.parse({
    id: uniqueId('off'),
    name: '职工技能大赛',
    events: [
      {
        id: 'weld',
        name: '焊工',
        criteria: [{ id: 'q', label: '质量', max: 10, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: '预赛', kind: 'preliminary', mode: 'onsite', advance: 2 }],
      },
    ],
    contestants: ['c1', 'c2', 'c3', 'c4'].map((id, i) => ({
      id,
      eventId: 'weld',
      bib: `A${i + 1}`,
      name: `选手${i + 1}`,
      organisation: '一厂',
      region: '江苏',
    })),
    judges: [
      { id: 'j1', name: '评委一', role: 'judge', eventIds: ['weld'] },
      { id: 'j2', name: '评委二', role: 'judge', eventIds: ['weld'] },
      {
        id: 'chief',
        name: '裁判长',
        role: 'chief',
        eventIds: ['weld'],
        ...(chiefOnPanel ? { panel: true } : {}),
      },
    ],
  });
}

const judge = (setup: Competition, judgeId: string): Actor => ({
  kind: 'judge',
  judgeId,
  competitionId: setup.id,
  role: judgeId === 'chief' ? 'chief' : 'judge',
});

/** A command parsed at the boundary, as a socket or HTTP route would. */
function command<N extends CommandName>(name: N, payload: Omit<CommandInput<N>, 'opId'>): Command {
  return { name, payload: commandSchemas[name].parse({ opId: op(), ...payload }) } as Command;
}

async function codeOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'ok';
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
}

for (const kind of storeKinds(inject('redisUrl'))) {
  describe(`official results (${kind.name} store)`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let now = Date.UTC(2026, 4, 1, 9);
    let service: ContestService;

    beforeAll(async () => {
      ({ store, close } = await kind.open());
      service = new ContestService({ store, clock: () => now });
    });
    afterAll(() => close());

    async function start(
      setup: Competition,
    ): Promise<(name: CommandName, payload: object, actor?: Actor) => Promise<unknown>> {
      await service.execute(ORGANISER, putSetup(setup));
      const sheet = { competitionId: setup.id, eventId: 'weld', roundId: 'r1' };
      await service.execute(ORGANISER, command('round.state', { ...sheet, state: 'open' }));
      return (name, payload, actor = ORGANISER) =>
        service.execute(actor, command(name, { ...sheet, ...payload } as never));
    }

    async function row(setup: Competition, id: string): Promise<RankedRow | null> {
      const rows = await store.top(setup.id, 'weld|r1|individual', 0, 100);
      return rows.find((r) => r.id === id) ?? null;
    }

    it('a chief judge off the panel does not keep sheets provisional; one on the panel does', async () => {
      const setup = officialCompetition();
      const run = await start(setup);
      await run('marks.submit', { contestantId: 'c1', marks: { q: '8' } }, judge(setup, 'j1'));
      await run('marks.submit', { contestantId: 'c1', marks: { q: '9' } }, judge(setup, 'j2'));
      expect(await row(setup, 'c1')).toMatchObject({ total: '8.50', complete: true });

      const panel = officialCompetition(true);
      const onPanel = await start(panel);
      await onPanel('marks.submit', { contestantId: 'c1', marks: { q: '8' } }, judge(panel, 'j1'));
      await onPanel('marks.submit', { contestantId: 'c1', marks: { q: '9' } }, judge(panel, 'j2'));
      expect(await row(panel, 'c1')).toMatchObject({ total: '8.50', complete: false });
      await onPanel('marks.submit', { contestantId: 'c1', marks: { q: '7' } }, judge(panel, 'chief'));
      expect(await row(panel, 'c1')).toMatchObject({ total: '8.00', complete: true });
      for (const s of [setup, panel]) expect((await rebuild(store, s.id)).differences).toEqual([]);
    });

    it('the chief signs complete results only; a signed result changes only after withdrawal with a reason', async () => {
      const setup = officialCompetition();
      const run = await start(setup);
      const chief = judge(setup, 'chief');
      await run('marks.submit', { contestantId: 'c1', marks: { q: '8' } }, judge(setup, 'j1'));
      expect(await codeOf(run('sheet.sign', { contestantId: 'c1', signed: true }, chief))).toBe('incomplete');
      await run('marks.submit', { contestantId: 'c1', marks: { q: '9' } }, judge(setup, 'j2'));
      expect((await row(setup, 'c1'))?.signed).toBeUndefined();

      // Nobody but the event's chief judge signs.
      expect(await codeOf(run('sheet.sign', { contestantId: 'c1', signed: true }))).toBe('forbidden');
      expect(await codeOf(run('sheet.sign', { contestantId: 'c1', signed: true }, judge(setup, 'j1')))).toBe(
        'forbidden',
      );
      await run('sheet.sign', { contestantId: 'c1', signed: true }, chief);
      expect(await row(setup, 'c1')).toMatchObject({ total: '8.50', complete: true, signed: true });

      // Signed: a judge's resubmission and a plain correction are refused.
      expect(
        await codeOf(run('marks.submit', { contestantId: 'c1', marks: { q: '10' } }, judge(setup, 'j1'))),
      ).toBe('sheet_signed');
      expect(
        await codeOf(
          run('mark.correct', {
            contestantId: 'c1',
            judgeId: 'j1',
            criterionId: 'q',
            value: '10',
            reason: 'x',
          }),
        ),
      ).toBe('sheet_signed');

      // Withdrawing needs a reason (refused at the boundary), then the result is provisional again.
      const target = { competitionId: setup.id, eventId: 'weld', roundId: 'r1', contestantId: 'c1' };
      expect(commandSchemas['sheet.sign'].safeParse({ opId: op(), ...target, signed: false }).success).toBe(
        false,
      );
      await run('sheet.sign', { contestantId: 'c1', signed: false, reason: '评委一分数录入有误' }, chief);
      expect((await row(setup, 'c1'))?.signed).toBeUndefined();
      await run('marks.submit', { contestantId: 'c1', marks: { q: '10' } }, judge(setup, 'j1'));
      await run('sheet.sign', { contestantId: 'c1', signed: true }, chief);
      expect(await row(setup, 'c1')).toMatchObject({ total: '9.50', signed: true });
      expect((await rebuild(store, setup.id)).differences).toEqual([]);
    });

    it('appeals: filed by the organiser within the deadline, decided by the arbitration, carried out as a linked correction', async () => {
      const setup = officialCompetition();
      const run = await start(setup);
      const chief = judge(setup, 'chief');
      await run('marks.submit', { contestantId: 'c2', marks: { q: '6' } }, judge(setup, 'j1'));
      await run('marks.submit', { contestantId: 'c2', marks: { q: '7' } }, judge(setup, 'j2'));
      await run('sheet.sign', { contestantId: 'c2', signed: true }, chief);

      expect(
        await codeOf(run('appeal.file', { contestantId: 'c2', appealId: 'a1', grounds: 'x' }, chief)),
      ).toBe('forbidden');
      await run('appeal.file', { contestantId: 'c2', appealId: 'a1', grounds: '评委一漏看第三道焊缝' });
      expect(await row(setup, 'c2')).toMatchObject({ total: '6.50', signed: true, appealed: true });

      // Not upheld yet: no correction may name it; the chief does not decide.
      const correction = {
        contestantId: 'c2',
        judgeId: 'j1',
        criterionId: 'q',
        value: '8',
        reason: '复核',
        appealId: 'a1',
      };
      expect(await codeOf(run('mark.correct', correction))).toBe('forbidden');
      expect(
        await codeOf(
          run(
            'appeal.decide',
            { contestantId: 'c2', appealId: 'a1', decision: 'upheld', reason: 'y' },
            chief,
          ),
        ),
      ).toBe('forbidden');
      await run('appeal.decide', {
        contestantId: 'c2',
        appealId: 'a1',
        decision: 'upheld',
        reason: '录像确认漏看',
      });
      expect((await row(setup, 'c2'))?.appealed).toBeUndefined();
      await run('mark.correct', correction);
      expect(await row(setup, 'c2')).toMatchObject({ total: '7.50', signed: true });
      const sheet = await store.getSheet(setup.id, { eventId: 'weld', roundId: 'r1', contestantId: 'c2' });
      expect(sheet.value.appeals).toEqual([
        {
          id: 'a1',
          grounds: '评委一漏看第三道焊缝',
          status: 'upheld',
          reason: '录像确认漏看',
          corrections: 1,
        },
      ]);

      // The event's deadline passed: no more appeals.
      await service.execute(
        ORGANISER,
        command('appeal.deadline', { competitionId: setup.id, eventId: 'weld', closesAt: now - 1 }),
      );
      expect(await codeOf(run('appeal.file', { contestantId: 'c2', appealId: 'a2', grounds: 'late' }))).toBe(
        'appeal_closed',
      );
      expect((await rebuild(store, setup.id)).differences).toEqual([]);
    });

    it('notice: finalize posts results until a time; changes go through appeals; a removed qualifier makes room (递补)', async () => {
      const setup = officialCompetition();
      const run = await start(setup);
      const marks: Array<[string, string]> = [
        ['c1', '9'],
        ['c2', '8'],
        ['c3', '7'],
        ['c4', '6'],
      ];
      for (const [contestantId, q] of marks) {
        await run('marks.submit', { contestantId, marks: { q } }, judge(setup, 'j1'));
        await run('marks.submit', { contestantId, marks: { q } }, judge(setup, 'j2'));
        await run('sheet.sign', { contestantId, signed: true }, judge(setup, 'chief'));
      }
      expect(await codeOf(run('round.finalize', { noticeEndsAt: now - 1 }))).toBe('invalid_payload');
      const endsAt = now + 7 * 24 * HOUR;
      await run('round.finalize', { noticeEndsAt: endsAt });
      let control = parseControl((await store.getControl(setup.id)).value);
      expect(control.notices).toEqual({ 'weld|r1': { endsAt } });
      expect(control.qualification).toEqual({ 'weld|r1': { qualifiers: ['c1', 'c2'], moves: [] } });

      // During the notice only appeals change anything.
      expect(await codeOf(run('outcome.set', { contestantId: 'c1', outcome: 'dsq' }))).toBe('finalized');
      await run('appeal.file', { contestantId: 'c1', appealId: 'a1', grounds: '使用违规工具' });
      await run('appeal.decide', { contestantId: 'c1', appealId: 'a1', decision: 'upheld', reason: '查实' });
      await run('outcome.set', {
        contestantId: 'c1',
        outcome: 'dsq',
        reason: '使用违规工具',
        appealId: 'a1',
      });
      await run('round.qualifiers', {});
      control = parseControl((await store.getControl(setup.id)).value);
      expect(control.qualification).toEqual({
        'weld|r1': { qualifiers: ['c2', 'c3'], moves: [{ removed: ['c1'], promoted: ['c3'] }] },
      });
      expect(isFinal(control, 'weld', 'r1', now)).toBe(false);

      now = endsAt;
      expect(isFinal(control, 'weld', 'r1', now)).toBe(true);
      expect(await codeOf(run('appeal.file', { contestantId: 'c2', appealId: 'a2', grounds: 'late' }))).toBe(
        'appeal_closed',
      );
      const report = await rebuild(store, setup.id);
      expect(report.differences).toEqual([]);
      expect(report.entries).toBeGreaterThan(15);
    });
  });
}
