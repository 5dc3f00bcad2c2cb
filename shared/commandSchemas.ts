/**
 * The payload schema of every write Podium accepts, strict. Which name each has, who may send it
 * and over which transport is shared/commandRegistry.ts; shared/commands.ts has the derived types.
 * Every command carries a client-generated `opId`: repeating it returns the first result.
 */
import { z } from 'zod';
import { displaySettingsSchema } from './displays.ts';
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
  appealId: idSchema.optional(),
});

export const addDeductionSchema = z.strictObject({
  ...sheetTarget,
  deduction: deductionSchema,
  appealId: idSchema.optional(),
});

export const removeDeductionSchema = z.strictObject({
  ...sheetTarget,
  deductionId: idSchema,
  reason: safeText(200),
  appealId: idSchema.optional(),
});

/** Chief judge: revise (value) or void (null) one judge's mark, with a reason kept in the log. */
export const correctMarkSchema = z.strictObject({
  ...sheetTarget,
  judgeId: idSchema,
  criterionId: idSchema,
  value: decimalSchema.nullable(),
  reason: safeText(200),
  appealId: idSchema.optional(),
});

export const setOutcomeSchema = z.strictObject({
  ...sheetTarget,
  outcome: outcomeSchema,
  reason: safeText(200).optional(),
  appealId: idSchema.optional(),
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
/**
 * `stage.set`: a contestant goes on the stage of their venue (none: the event-wide stage); with
 * `contestantId: null`, `venueId` names the venue whose stage is cleared (absent: the event-wide one).
 */
export const setOnStageSchema = z.strictObject({
  ...roundTarget,
  contestantId: idSchema.nullable(),
  venueId: idSchema.optional(),
});

/** Freeze the public view of an event's boards, or step the reveal ceremony, or finalize. */
export const freezeSchema = z.strictObject({ ...roundTarget, frozen: z.boolean() });
export const revealStepSchema = z.strictObject({ ...roundTarget });
/** `noticeEndsAt` (ms since the epoch): results are posted until then, and final after (docs/RULES.md). */
export const finalizeSchema = z.strictObject({
  ...roundTarget,
  noticeEndsAt: z.number().int().min(0).max(8_640_000_000_000_000).optional(),
});
export const setEmbargoSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
  embargoed: z.boolean(),
});

/** Organiser: push settings to every big screen opened with `d=<displayId>` (null: forget the display). */
export const setDisplaySchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  displayId: idSchema,
  settings: displaySettingsSchema.nullable(),
});

/** Chief judge: sign a contestant's result in a round, or withdraw the signature (a reason is required). */
export const signSheetSchema = z
  .strictObject({ ...sheetTarget, signed: z.boolean(), reason: safeText(200).optional() })
  .refine((p) => p.signed || p.reason !== undefined, {
    path: ['reason'],
    message: 'withdrawing a signature needs a reason',
  });

/** Organiser (on the team's behalf) or the contestant's team leader: record an appeal (申诉) against a contestant's result. */
export const fileAppealSchema = z.strictObject({
  ...sheetTarget,
  appealId: idSchema,
  grounds: safeText(500),
});

/** Arbitration (the organiser): decide an open appeal, with the reason. */
export const decideAppealSchema = z.strictObject({
  ...sheetTarget,
  appealId: idSchema,
  decision: z.enum(['upheld', 'rejected']),
  reason: safeText(500),
});

/** Organiser: the time (ms since the epoch) after which an event takes no more appeals; null lifts it. */
export const appealDeadlineSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
  closesAt: z.number().int().min(0).max(8_640_000_000_000_000).nullable(),
});

/** Organiser: take the qualification line of a qualifying round again (递补 after a qualifier is removed). */
export const qualifiersSchema = z.strictObject({ ...roundTarget });

/** A drawn number (加密号/工位号) as printed on a workstation: 1–12 letters, digits or "-". */
export const drawNumberSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,12}$/, 'must be 1-12 letters, digits or "-"');

/**
 * Organiser (the encryption officer, 加密员): draw a number for every contestant of an anonymised
 * event. Without `numbers` the server draws (cryptographically random; it records its `seed` in
 * the command, which a client must not send); with `numbers` the organiser uploads a paper draw.
 */
export const drawMakeSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
  numbers: z.record(idSchema, drawNumberSchema).optional(),
  seed: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits')
    .optional(),
});

/** Organiser: ask to decode an anonymised event (link names to numbers again) once it is fully signed. */
export const drawDecodeSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
});

/** The event's chief judge: confirm the organiser's decode request (the second person). */
export const drawConfirmSchema = z.strictObject({
  opId: opIdSchema,
  competitionId: idSchema,
  eventId: idSchema,
});
