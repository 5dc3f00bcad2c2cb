/**
 * What the auth layer keeps in the store's small-record space. Records are parsed on the way
 * back in, so a damaged or foreign record reads as "absent", never as a wrong actor.
 * No record holds a secret in clear: tokens, codes and API keys as SHA-256, passwords as scrypt.
 */
import { z } from 'zod';

export const NS = {
  /** id: organiser name. */
  organiser: 'auth.organiser',
  /** id: sha256(session token); expires with the session. */
  session: 'auth.session',
  /** id: sha256(normalised judge code). */
  judgeCode: 'auth.judgecode',
  /** id: "<competitionId>.<judgeId>" → the hash of that judge's current code. */
  judgeCodeOf: 'auth.judgecode-of',
  /** id: sha256(normalised team-leader code). */
  leaderCode: 'auth.leadercode',
  /** id: "<competitionId>.<teamId>" → the hash of that team's current leader code. */
  leaderCodeOf: 'auth.leadercode-of',
  /** id: API key id. */
  apiKey: 'auth.apikey',
} as const;

export const organiserRecord = z.object({
  password: z.object({
    alg: z.literal('scrypt'),
    salt: z.string(),
    hash: z.string(),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
  }),
  updatedAt: z.number(),
});

const actorRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('organiser'), id: z.string() }),
  z.object({
    kind: z.literal('judge'),
    judgeId: z.string(),
    competitionId: z.string(),
    role: z.enum(['judge', 'chief']),
  }),
  z.object({ kind: z.literal('leader'), teamId: z.string(), competitionId: z.string() }),
]);

export const sessionRecord = z.object({
  actor: actorRecord,
  /** For judges and team leaders: the code the session came from; revoking the code ends the session. */
  codeHash: z.string().optional(),
  expiresAt: z.number(),
});
export type SessionRecord = z.infer<typeof sessionRecord>;

export const judgeCodeRecord = z.object({
  competitionId: z.string(),
  judgeId: z.string(),
  issuedAt: z.number(),
});

/** What a code's hash points to, kept under NS.judgeCodeOf / NS.leaderCodeOf. */
export const judgeCodeOfRecord = z.object({ codeHash: z.string() });

export const leaderCodeRecord = z.object({
  competitionId: z.string(),
  teamId: z.string(),
  issuedAt: z.number(),
});

export const apiKeyRecord = z.object({
  competitionId: z.string(),
  label: z.string(),
  secretHash: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecord>;

/** The parsed record, or null when missing or not of the expected shape. */
export function parseRecord<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const r = schema.safeParse(value);
  return r.success ? r.data : null;
}
