import { z } from 'zod';

/**
 * Characters we never accept in a user-supplied name: C0/C1 controls (except none),
 * and Unicode bidi overrides/isolates, which can make a name render as something else
 * on a big screen (Trojan-Source style). Zero-width joiners stay allowed: emoji need them.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

/** A display text: trimmed, Unicode NFC, 1..max characters, no control or bidi-override characters. */
export function safeText(max: number) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !FORBIDDEN.test(s), 'must not contain control or bidi-override characters'),
    );
}

/** Identifiers used in keys and URLs: letters, digits, '-' and '_', up to 64 characters. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'");

/** A client-generated operation id that makes a write idempotent (UUID or similar). */
export const opIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, '-' or '_'");
