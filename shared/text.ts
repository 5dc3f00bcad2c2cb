import { z } from 'zod';

/**
 * Characters we never accept in a user-supplied name: C0/C1 controls (except none),
 * and Unicode bidi overrides/isolates, which can make a name render as something else
 * on a big screen (Trojan-Source style). Zero-width joiners stay allowed: emoji need them.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

/**
 * A character that shows something: not white space, not a default-ignorable code point (U+200B
 * zero-width space, U+FEFF, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0, variation selectors…),
 * not a format or control character, not a combining mark on its own, not the blank braille pattern.
 */
const VISIBLE =
  /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Zl}\p{Zp}\u2800]/u;

/** True when `s` has at least one visible character (a name of only invisible ones is refused). */
export function hasVisibleCharacter(s: string): boolean {
  return VISIBLE.test(s);
}

/**
 * A display text: trimmed, Unicode NFC, 1..max characters, no control or bidi-override characters,
 * at least one visible character.
 */
export function safeText(max: number) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !FORBIDDEN.test(s), 'must not contain control or bidi-override characters')
        .refine(
          (s) => s.length === 0 || hasVisibleCharacter(s),
          'must contain a visible character (not only blank or invisible ones)',
        ),
    );
}

/** Ids that name JavaScript's prototype machinery: as object keys they would not be stored. */
export const RESERVED_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Identifiers used in keys and URLs: letters, digits, '-' and '_', up to 64 characters, and none of
 * RESERVED_IDS.
 */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'")
  .refine((s) => !RESERVED_IDS.has(s), 'must not be "__proto__", "constructor" or "prototype" (reserved)');

/** A client-generated operation id that makes a write idempotent (UUID or similar). */
export const opIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, '-' or '_'");
