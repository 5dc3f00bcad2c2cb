/**
 * Per-display settings of a big screen (text size, rows per page, secondary line, colour legend,
 * rotation between events). The organiser names a screen (`/screen/?…&d=<name>`) and pushes its
 * settings live with the `display.set` command; they travel in `PublicControl.displays`.
 */
import { z } from 'zod';

/** At most this many named displays per competition (a venue has a handful of screens). */
export const MAX_DISPLAYS = 50;

export const displaySettingsSchema = z.strictObject({
  /** Text size in percent of the normal size. */
  scale: z.number().int().min(50).max(250),
  /** Rows per page. */
  rows: z.number().int().min(3).max(40),
  /** The secondary line (bib, organisation, category) under each name. */
  detail: z.boolean(),
  /** A legend of the rank colours and tags. */
  legend: z.boolean(),
  /** Seconds between events (0: stay on one event; otherwise at least 5). */
  rotate: z
    .number()
    .int()
    .min(0)
    .max(3_600)
    .refine((s) => s === 0 || s >= 5, 'rotate is 0 or at least 5 seconds'),
});

export type DisplaySettings = z.infer<typeof displaySettingsSchema>;

export const DEFAULT_DISPLAY: DisplaySettings = {
  scale: 100,
  rows: 10,
  detail: true,
  legend: false,
  rotate: 0,
};
