/**
 * Issue #17: the zod schemas of shared/wire.ts (from which docs/schema/ is generated) describe
 * exactly the interfaces the server and clients use (shared/events.ts, shared/boards.ts). A field
 * added to one but not the other fails `tsc` and this test.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { BoardRow, RankedRow } from '../../../shared/boards.ts';
import type {
  AudienceUpdate,
  BoardDelta,
  BoardSnapshot,
  CommandResult,
  CompetitionSummary,
  DeltaRow,
  DivergenceFlag,
  JudgePresence,
  JudgeSession,
  JudgeSheetLine,
  PublicCompetition,
  PublicControl,
  SheetSummary,
  StageState,
} from '../../../shared/events.ts';
import type * as wire from '../../../shared/wire.ts';

type Out<S extends z.ZodType> = z.output<S>;

describe('JSON Schema sources agree with the wire interfaces', () => {
  it('board rows, snapshots and deltas', () => {
    expectTypeOf<Out<typeof wire.boardRowSchema>>().toEqualTypeOf<BoardRow>();
    expectTypeOf<Out<typeof wire.rankedRowSchema>>().toEqualTypeOf<RankedRow>();
    expectTypeOf<Out<typeof wire.deltaRowSchema>>().toEqualTypeOf<DeltaRow>();
    expectTypeOf<Out<typeof wire.boardSnapshotSchema>>().toEqualTypeOf<BoardSnapshot>();
    expectTypeOf<Out<typeof wire.boardDeltaSchema>>().toEqualTypeOf<BoardDelta>();
  });

  it('stage, control, audience and command results', () => {
    expectTypeOf<Out<typeof wire.stageStateSchema>>().toEqualTypeOf<StageState>();
    expectTypeOf<Out<typeof wire.publicControlSchema>>().toEqualTypeOf<PublicControl>();
    expectTypeOf<Out<typeof wire.audienceUpdateSchema>>().toEqualTypeOf<AudienceUpdate>();
    expectTypeOf<Out<typeof wire.sheetSummarySchema>>().toEqualTypeOf<SheetSummary>();
    expectTypeOf<Out<typeof wire.commandResultSchema>>().toEqualTypeOf<CommandResult>();
    expectTypeOf<Out<typeof wire.competitionSummarySchema>>().toEqualTypeOf<CompetitionSummary>();
  });

  it('public competition and judge payloads', () => {
    expectTypeOf<Out<typeof wire.publicCompetitionSchema>>().toExtend<PublicCompetition>();
    expectTypeOf<PublicCompetition>().toExtend<Out<typeof wire.publicCompetitionSchema>>();
    expectTypeOf<Out<typeof wire.judgeSessionSchema>>().toEqualTypeOf<JudgeSession>();
    expectTypeOf<Out<typeof wire.judgeSheetLineSchema>>().toEqualTypeOf<JudgeSheetLine>();
    expectTypeOf<Out<typeof wire.divergenceFlagSchema>>().toEqualTypeOf<DivergenceFlag>();
    expectTypeOf<Out<typeof wire.judgePresenceSchema>>().toEqualTypeOf<JudgePresence>();
  });
});
