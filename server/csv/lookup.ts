/** Resolving what a CSV cell names (an event, a team) against the competition's set-up. */
import type { Competition } from '../../shared/model.ts';

/** Texts compare after NFC, trimming and case folding, so "焊工 " and "焊工" are the same event. */
export function sameText(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}

/** The event a cell names by id or by name, or undefined. */
export function findEvent(setup: Competition, text: string): Competition['events'][number] | undefined {
  return setup.events.find((e) => e.id === text) ?? setup.events.find((e) => sameText(e.name, text));
}

/** An id not in `taken`: `${base}-1`, `${base}-2`, … */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}
