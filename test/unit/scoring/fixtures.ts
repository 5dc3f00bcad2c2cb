/** Small builders for scoring tests: events go through the real schema, so defaults apply. */
import { emptySheet, eventSchema, type ContestEvent, type Sheet } from '../../../shared/model.ts';

type EventInput = Parameters<typeof eventSchema.parse>[0];
type CriterionInput = Record<string, unknown> & { id: string };

/** An event with the given criteria (label/max/step defaulted) and scoring overrides. */
export function makeEvent(criteria: CriterionInput[], scoring: Record<string, unknown> = {}): ContestEvent {
  const input: EventInput = {
    id: 'ev1',
    name: 'Welding',
    criteria: criteria.map((c) => ({ label: c.id, max: 10, step: 0.5, ...c })),
    scoring: { aggregation: { kind: 'mean' }, decimals: 2, ...scoring },
    rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
  };
  return eventSchema.parse(input);
}

/** A sheet with marks[judge][criterion] and optional extras. */
export function makeSheet(marks: Sheet['marks'], extra: Partial<Sheet> = {}): Sheet {
  return { ...emptySheet(), marks, ...extra };
}

/** Marks for one criterion from judges j1, j2, … in order. */
export function marksFor(criterionId: string, values: string[]): Sheet['marks'] {
  return Object.fromEntries(values.map((v, i) => [`j${i + 1}`, { [criterionId]: v }]));
}

export function judgeIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `j${i + 1}`);
}
