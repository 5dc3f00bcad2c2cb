/**
 * Paper and proof (docs/API.md, "Printing and certificates"): what the print pages and the public
 * certificate check receive. Zod schemas, so the answers are documented and the types inferred.
 */
import { z } from 'zod';
import { outcomeSchema } from './model.ts';
import { boardResultsSchema } from './results.ts';

const decimalOut = z.string().regex(/^-?\d+(\.\d+)?$/);

/** How official a result is today (shared/official.ts); later states join this list. */
export const officialStatusSchema = z.enum(['provisional', 'finalized', 'final']);
export type OfficialStatusName = z.infer<typeof officialStatusSchema>;

/** One judge's mark on one criterion; `dropped` when a trimmed mean left it out. */
export const printedMarkSchema = z.strictObject({
  judgeId: z.string(),
  mark: decimalOut.nullable(),
  dropped: z.boolean(),
});

export const printedCriterionSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['judged', 'measured']),
  weight: decimalOut,
  /** judged: one entry per marking judge, in the order of `judges`; measured: empty. */
  marks: z.array(printedMarkSchema),
  /** measured: the value entered (null: not yet); judged: null. */
  measured: decimalOut.nullable(),
  /** The criterion's score (aggregated marks, or the measured value's points), rounded; null: nothing yet. */
  score: decimalOut.nullable(),
});

export const printedSheetSchema = z.strictObject({
  contestant: z.strictObject({
    id: z.string(),
    bib: z.string(),
    name: z.string(),
    organisation: z.string(),
    region: z.string(),
    category: z.string().nullable(),
  }),
  /**
   * The judges this sheet waits for, in column order (each judged criterion's `marks` follow it):
   * the panel of the contestant's venue, a chief judge only when on the panel or marking.
   */
  judgeIds: z.array(z.string()),
  criteria: z.array(printedCriterionSchema),
  deductions: z.array(z.strictObject({ points: decimalOut, reason: z.string() })),
  outcome: outcomeSchema,
  total: decimalOut,
  rank: z.number().int().nullable(),
  complete: z.boolean(),
  /** The chief judge locked the sheet (sheet.lock). */
  locked: z.boolean(),
});
export type PrintedSheet = z.infer<typeof printedSheetSchema>;

/** GET /api/competitions/:id/print/sheets: the score sheets of one event round. */
export const scoreSheetsSchema = z.strictObject({
  ok: z.literal(true),
  competition: z.strictObject({ id: z.string(), name: z.string() }),
  event: z.strictObject({ id: z.string(), name: z.string() }),
  round: z.strictObject({ id: z.string(), name: z.string() }),
  status: officialStatusSchema,
  /** e.g. { kind: 'trimmed', trim: 1 } — the sheet says which marks count. */
  aggregation: z.strictObject({ kind: z.string(), trim: z.number().int().optional() }),
  better: z.enum(['higher', 'lower']),
  /** Every judge who marks any of the sheets (each sheet's `judgeIds` says which are its columns). */
  judges: z.array(z.strictObject({ id: z.string(), name: z.string(), role: z.enum(['judge', 'chief']) })),
  chiefs: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  sheets: z.array(printedSheetSchema),
});
export type ScoreSheets = z.infer<typeof scoreSheetsSchema>;

/** GET /api/competitions/:id/print/notice: one board's results (organiser's view) for the 成绩公示表. */
export const noticeSchema = z.strictObject({
  ok: z.literal(true),
  competition: z.strictObject({ id: z.string(), name: z.string() }),
  official: officialStatusSchema,
  /** While the public notice runs: when it ends (ms since the epoch); else null. */
  noticeEndsAt: z.number().int().nullable(),
  /** The event's appeal deadline (`appeal.deadline`, ms since the epoch); null when none is set. */
  appealsCloseAt: z.number().int().nullable(),
  results: boardResultsSchema,
});
export type Notice = z.infer<typeof noticeSchema>;

/** One certificate: who, what, and the signed address its QR code carries. */
export const certificateSchema = z.strictObject({
  contestantId: z.string(),
  bib: z.string(),
  name: z.string(),
  organisation: z.string(),
  rank: z.number().int(),
  total: decimalOut,
  medal: z.enum(['gold', 'silver', 'bronze']).nullable(),
  /** The public verification page for this certificate (PUBLIC_URL or the LAN address). */
  verifyUrl: z.string(),
  /** The signature, printed under the QR code so it can be typed in. */
  code: z.string(),
});
export type Certificate = z.infer<typeof certificateSchema>;

/** GET /api/competitions/:id/print/certificates: ranked, ok rows of one individual board. */
export const certificatesSchema = z.strictObject({
  ok: z.literal(true),
  competition: z.strictObject({ id: z.string(), name: z.string() }),
  board: z.string(),
  boardName: z.string(),
  eventName: z.string(),
  roundName: z.string().nullable(),
  status: officialStatusSchema,
  certificates: z.array(certificateSchema),
});
export type Certificates = z.infer<typeof certificatesSchema>;

/**
 * GET /api/verify: the public check of a certificate.
 *  valid        signature good, the public result is still the one printed (see `status`)
 *  revoked      signature good, but the result was corrected since: the certificate no longer holds
 *  unavailable  signature good, the result is not public now (embargo, a reveal still running)
 *  invalid      the signature does not match: not issued by this server, or altered
 */
export const verificationSchema = z.strictObject({
  ok: z.literal(true),
  verdict: z.enum(['valid', 'revoked', 'unavailable', 'invalid']),
  /** valid/revoked: the result as printed on the certificate. */
  certified: z
    .strictObject({
      competitionName: z.string(),
      boardName: z.string(),
      name: z.string(),
      organisation: z.string(),
      rank: z.number().int(),
      total: decimalOut,
      medal: z.enum(['gold', 'silver', 'bronze']).nullable(),
    })
    .nullable(),
  /** valid/revoked: the official result now (null when the contestant has none any more). */
  current: z
    .strictObject({
      rank: z.number().int().nullable(),
      total: decimalOut,
      outcome: outcomeSchema,
      medal: z.enum(['gold', 'silver', 'bronze']).nullable(),
    })
    .nullable(),
  status: officialStatusSchema.nullable(),
});
export type Verification = z.infer<typeof verificationSchema>;
