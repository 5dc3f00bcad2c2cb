/**
 * The payload schema of every write Podium accepts, strict. Which name each has, who may send it
 * and over which transport is shared/commandRegistry.ts; shared/commands.ts has the derived types.
 * Every command carries a client-generated `opId`: repeating it returns the first result.
 */
import { z } from 'zod';
import { competitionSchema, decimalSchema, deductionSchema, outcomeSchema } from './model.ts';
import { idSchema, opIdSchema, safeText } from './text.ts';

const sheetTarget = {
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
  roundId: idSchema,
  contestantId: idSchema,
};

/** A judge's marks for one contestant: criterion id → mark. Resubmitting replaces the judge's marks. */
export const submitMarksSchema = z.strictObject({
  ...sheetTarget,
  marks: z.record(idSchema, decimalSchema).refine((m) => Object.keys(m).length > 0, 'must not be empty'),
});

/** Chief judge or integration: the value of a measured criterion. */
export const enterMeasuredSchema = z.strictObject({
  ...sheetTarget,
  criterionId: idSchema,
  value: decimalSchema,
});

export const addDeductionSchema = z.strictObject({ ...sheetTarget, deduction: deductionSchema });

export const removeDeductionSchema = z.strictObject({
  ...sheetTarget,
  deductionId: idSchema,
  reason: safeText(200),
});

/** Chief judge: revise (value) or void (null) one judge's mark, with a reason kept in the log. */
export const correctMarkSchema = z.strictObject({
  ...sheetTarget,
  judgeId: idSchema,
  criterionId: idSchema,
  value: decimalSchema.nullable(),
  reason: safeText(200),
});

export const setOutcomeSchema = z.strictObject({
  ...sheetTarget,
  outcome: outcomeSchema,
  reason: safeText(200).optional(),
});

export const setFinishSchema = z.strictObject({
  ...sheetTarget,
  finishedAt: z.number().int().min(0).max(8_640_000_000_000_000),
});

export const lockSheetSchema = z.strictObject({ ...sheetTarget, locked: z.boolean() });

const roundTarget = { opId: opIdSchema, competitionId: idSchema, eventId: idSchema, roundId: idSchema };

/** Organiser: create or replace a competition's set-up. */
export const putSetupSchema = z.strictObject({ opId: opIdSchema, competition: competitionSchema });

export const setRoundStateSchema = z.strictObject({
  ...roundTarget,
  state: z.enum(['pending', 'open', 'closed']),
});

/** Who is performing now in an event (null: nobody). */
export const setOnStageSchema = z.strictObject({ ...roundTarget, contestantId: idSchema.nullable() });

/** Freeze the public view of an event's boards, or step the reveal ceremony, or finalize. */
export const freezeSchema = z.strictObject({ ...roundTarget, frozen: z.boolean() });
export const revealStepSchema = z.strictObject({ ...roundTarget });
export const finalizeSchema = z.strictObject({ ...roundTarget });
export const setEmbargoSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
  embargoed: z.boolean(),
});
