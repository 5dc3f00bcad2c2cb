/**
 * The contest model: competition → events (赛项) → rounds, contestants, teams, judges.
 * Schemas are strict (unknown fields are refused) and are the single source of the types:
 * the server validates every write with them, the clients validate forms with them.
 */
import { z } from 'zod';
import { compare, parse } from './decimal.ts';
import { idSchema, safeText } from './text.ts';

/** A non-negative decimal given as a JSON number or a decimal string ("8.35"); kept exact as a string. */
export const decimalSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      ctx.addIssue({ code: 'custom', message: 'must be a finite number' });
      return z.NEVER;
    }
    // String(n) is the shortest round-trip form, so 8.35 stays "8.35".
    v = Object.is(v, -0) ? '0' : String(v);
  }
  if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'must be a decimal number with at most 6 decimals' });
    return z.NEVER;
  }
  // "-0" and "-0.00" are zero: without the sign, no total can come out as "-0.00".
  return /^-0+(\.0+)?$/.test(v) ? v.slice(1) : v;
});

/** One band of a tolerance table: a deviation of at most `within` earns `points`. */
export const toleranceBandSchema = z.strictObject({ within: decimalSchema, points: decimalSchema });

/**
 * How a measured value becomes points (docs/RULES.md, "Measured criteria"):
 *   tolerance  |value − target| ≤ band.within → band.points (the tightest band that fits; none → 0)
 *   linear     `points` at `best`, 0 at `cutoff` and beyond, in a straight line between (exact)
 */
export const measureConversionSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('tolerance'),
      target: decimalSchema.default('0'),
      bands: z.array(toleranceBandSchema).min(1).max(20),
    }),
    z.strictObject({
      kind: z.literal('linear'),
      best: decimalSchema,
      cutoff: decimalSchema,
      points: decimalSchema,
    }),
  ])
  .superRefine((c, ctx) => {
    if (c.kind === 'linear') {
      if (compare(parse(c.best), parse(c.cutoff)) === 0)
        ctx.addIssue({ code: 'custom', path: ['cutoff'], message: 'must differ from best' });
      if (parse(c.points).isNegative())
        ctx.addIssue({ code: 'custom', path: ['points'], message: 'must not be negative' });
      return;
    }
    c.bands.forEach((band, i) => {
      const previous = c.bands[i - 1];
      if (parse(band.within).isNegative() || parse(band.points).isNegative())
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i],
          message: 'within and points must not be negative',
        });
      if (previous === undefined) return;
      if (compare(parse(band.within), parse(previous.within)) <= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'within'],
          message: 'bands must widen: within must grow',
        });
      if (compare(parse(band.points), parse(previous.points)) > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'points'],
          message: 'a wider band must not give more points',
        });
    });
  });
export type MeasureConversion = z.infer<typeof measureConversionSchema>;

export const criterionSchema = z.strictObject({
  id: idSchema,
  label: safeText(80),
  /** Highest mark a judge may give. */
  max: z.number().positive().max(1_000_000),
  /** Lowest mark; 0 unless said otherwise. */
  min: z.number().min(0).max(1_000_000).default(0),
  /** Marks must be a whole multiple of the step above `min` (e.g. 0.5). */
  step: z.number().positive().max(1_000_000),
  /** Weight of this criterion in the sheet total (exact decimal). */
  weight: decimalSchema.default('1'),
  /** judged: every assigned judge marks it; measured: entered once by the chief judge. */
  kind: z.enum(['judged', 'measured']).default('judged'),
  /** Flag the sheet when one judge differs from the others' median by more than this. */
  divergenceTolerance: z.number().positive().optional(),
  /** Only for measured criteria: turn the entered value into points; absent → the value is the score. */
  convert: measureConversionSchema.optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const aggregationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('mean') }),
  /** Drop the `trim` highest and `trim` lowest marks, then take the mean. */
  z.strictObject({ kind: z.literal('trimmed'), trim: z.number().int().min(1).max(5) }),
  z.strictObject({ kind: z.literal('median') }),
  z.strictObject({ kind: z.literal('sum') }),
]);
export type Aggregation = z.infer<typeof aggregationSchema>;

export const standingRuleSchema = z.strictObject({
  method: z.enum(['sum', 'mean']),
  /** Only the best N members count. */
  bestN: z.number().int().min(1).max(100),
});
export type StandingRule = z.infer<typeof standingRuleSchema>;

export const medalRuleSchema = z.discriminatedUnion('kind', [
  /** Gold for ranks 1..gold, silver up to rank `silver`, bronze up to rank `bronze`. */
  z.strictObject({
    kind: z.literal('rank'),
    gold: z.number().int().min(0),
    silver: z.number().int().min(0),
    bronze: z.number().int().min(0),
  }),
  /** Minimum totals (exact decimals) for each medal. */
  z.strictObject({
    kind: z.literal('threshold'),
    gold: decimalSchema,
    silver: decimalSchema,
    bronze: decimalSchema,
  }),
]);
export type MedalRule = z.infer<typeof medalRuleSchema>;

export const scoringRuleSchema = z.strictObject({
  aggregation: aggregationSchema,
  /** Decimals of every published total; rounding is half-up on exact decimals. */
  decimals: z.number().int().min(0).max(4),
  tieBreak: z
    .strictObject({
      /** Criterion ids compared in order (higher aggregated criterion score wins). */
      criteria: z.array(idSchema).max(10).default([]),
      /** Then the earlier finishing time wins. */
      earlierFinish: z.boolean().default(false),
    })
    .default({ criteria: [], earlierFinish: false }),
  teamStanding: standingRuleSchema.optional(),
  organisationStanding: standingRuleSchema.optional(),
  medals: medalRuleSchema.optional(),
  /** Judges see each other's marks for a contestant only once all are in. */
  blind: z.boolean().default(true),
  /**
   * Which total wins: 'higher' (points) or 'lower' (a time, a deviation ranked directly). With
   * 'lower', deductions are penalties added to the total and tie-break criteria also prefer lower.
   * Absent → 'higher' (so set-ups stored before this option score exactly as before).
   */
  better: z.enum(['higher', 'lower']).optional(),
  /**
   * When weighted rounds are rounded: 'each-round' weights the published (rounded) round totals;
   * 'once-at-end' weights the exact round totals and rounds only the overall. Absent → 'each-round'.
   */
  roundRounding: z.enum(['each-round', 'once-at-end']).optional(),
  /** A total below 0 (deductions larger than the marks) is shown as 0; false keeps it negative. Absent → true. */
  floorAtZero: z.boolean().optional(),
});
export type ScoringRule = z.infer<typeof scoringRuleSchema>;

export const roundSchema = z.strictObject({
  id: idSchema,
  name: safeText(60),
  kind: z.enum(['preliminary', 'semifinal', 'final']),
  mode: z.enum(['online', 'onsite']),
  /** Weight of this round in the event's overall result; absent → the round does not count. */
  weight: decimalSchema.optional(),
  /** A qualifying round: the best `advance` ranked contestants go on (the qualification line). */
  advance: z.number().int().min(1).max(100_000).optional(),
});
export type Round = z.infer<typeof roundSchema>;

export const eventSchema = z
  .strictObject({
    id: idSchema,
    name: safeText(60),
    criteria: z.array(criterionSchema).min(1).max(50),
    scoring: scoringRuleSchema,
    rounds: z.array(roundSchema).min(1).max(10),
    /**
     * Anonymised judging (加密评分, docs/RULES.md §13, "Anonymised judging"): judges and every public page see contestants
     * only by their drawn number until the draw is decoded after sign-off. Absent → false.
     */
    anonymised: z.boolean().optional(),
  })
  .superRefine((event, ctx) => {
    event.criteria.forEach((c, i) => {
      if (c.convert !== undefined && c.kind !== 'measured')
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'convert'],
          message: 'only a measured criterion converts',
        });
    });
  });
export type ContestEvent = z.infer<typeof eventSchema>;

export const contestantSchema = z.strictObject({
  id: idSchema,
  eventId: idSchema,
  bib: z.string().regex(/^[A-Za-z0-9-]{1,12}$/, 'must be 1-12 letters, digits or "-"'),
  name: safeText(60),
  organisation: safeText(80),
  region: safeText(40),
  teamId: idSchema.optional(),
  /** e.g. 职工组 / 学生组; each category also has its own ranking. */
  category: safeText(30).optional(),
  /** The venue (site) the contestant performs at; each venue also has its own ranking (docs/VENUES.md). */
  venueId: idSchema.optional(),
});
export type Contestant = z.infer<typeof contestantSchema>;

export const teamSchema = z.strictObject({
  id: idSchema,
  name: safeText(80),
});
export type Team = z.infer<typeof teamSchema>;

export const judgeSchema = z.strictObject({
  id: idSchema,
  name: safeText(60),
  role: z.enum(['judge', 'chief']),
  eventIds: z.array(idSchema).max(50),
  /**
   * Only for a chief judge: also marks as a member of the panel, so a sheet waits for their marks.
   * Absent → the chief supervises and signs; their marks count only if they gave some.
   */
  panel: z.boolean().optional(),
  /** The venue the judge works at; a venue node accepts only its own judges (docs/VENUES.md). */
  venueId: idSchema.optional(),
});
export type Judge = z.infer<typeof judgeSchema>;

/** A site of a contest held in many places (docs/VENUES.md); online contestants are a venue of their own. */
export const venueSchema = z.strictObject({
  id: idSchema,
  name: safeText(80),
  region: safeText(40),
  address: safeText(200),
  /** 'online': the contestants of online rounds, marking from wherever they are. */
  kind: z.enum(['site', 'online']).default('site'),
});
export type Venue = z.infer<typeof venueSchema>;

/** The competition set-up document: everything an organiser configures. */
export const competitionSchema = z.strictObject({
  id: idSchema,
  name: safeText(120),
  events: z.array(eventSchema).min(1).max(100),
  contestants: z.array(contestantSchema).max(200_000),
  teams: z.array(teamSchema).max(10_000).default([]),
  judges: z.array(judgeSchema).max(2_000).default([]),
  /** Sites of a contest held in many places; empty for a contest in one hall. */
  venues: z.array(venueSchema).max(500).optional(),
});
export type Competition = z.infer<typeof competitionSchema>;
export type CompetitionInput = z.input<typeof competitionSchema>;

/**
 * What a performance may end as besides being marked. Non-ok rows get no rank (null) and sort
 * after every ok row: dnf, then dns, then dsq (docs/RULES.md, "Outcomes").
 */
export const outcomeSchema = z.enum(['ok', 'dns', 'dnf', 'dsq']);
export type Outcome = z.infer<typeof outcomeSchema>;

/** Status shown for a contestant in a round. */
export type PerformanceStatus = 'waiting' | 'on_stage' | 'marked' | 'dns' | 'dnf' | 'dsq';

export const deductionSchema = z.strictObject({
  id: idSchema,
  points: decimalSchema,
  reason: safeText(200),
});
export type Deduction = z.infer<typeof deductionSchema>;

/**
 * One contestant's score sheet in one round. Marks are exact decimal strings.
 * `marks[judgeId][criterionId]` for judged criteria, `measured[criterionId]` for measured ones.
 */
export interface Sheet {
  marks: Record<string, Record<string, string>>;
  measured: Record<string, string>;
  deductions: Deduction[];
  outcome: Outcome;
  /** Finishing time in ms since the epoch, used by the earlier-finish tie-break. */
  finishedAt?: number;
  locked: boolean;
  /** The chief judge's signature (docs/RULES.md, "Official results"): absent → provisional. */
  signed?: { by: string };
  /** Appeals against this result, oldest first. */
  appeals?: Appeal[];
}

/** An appeal (申诉) against a contestant's result in a round, decided by the arbitration (organiser). */
export interface Appeal {
  id: string;
  grounds: string;
  /**
   * Set when the team's leader filed it with the team's code (the team's id); absent when the
   * organiser filed it on the team's behalf (the audit log names which organiser). Absent-for-
   * organiser keeps every appeal recorded before leaders could file replaying to the same sheet.
   */
  leaderTeamId?: string;
  status: 'open' | 'upheld' | 'rejected';
  /** The arbitration's reason, once decided. */
  reason?: string;
  /** Corrections carried out under this (upheld) appeal. */
  corrections?: number;
}

export function emptySheet(): Sheet {
  return { marks: {}, measured: {}, deductions: [], outcome: 'ok', locked: false };
}

/** Render a zod error as one message that names the fields, e.g. "events.0.name: must not be empty". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(payload)'}: ${i.message}`)
    .join('; ');
}
