/**
 * The guided first contest: a whole set-up from a few typed lines — the competition's name, one
 * event with a rule preset, the number of judges and pasted contestants.
 */
import type { CompetitionInput } from '../../../shared/model.ts';

export type RulePreset = 'mean3' | 'trimmed5' | 'criteria3';

/** The presets: judges, aggregation and criteria that fit most vocational contests. */
export const PRESETS: Record<
  RulePreset,
  { judges: number; trim: number; criteria: Array<[string, number]> }
> = {
  mean3: { judges: 3, trim: 0, criteria: [['总分', 100]] },
  trimmed5: { judges: 5, trim: 1, criteria: [['总分', 100]] },
  criteria3: {
    judges: 3,
    trim: 0,
    criteria: [
      ['作品质量', 50],
      ['操作规范', 30],
      ['安全文明', 20],
    ],
  },
};

export interface PastedContestant {
  bib: string;
  name: string;
  organisation: string;
  region: string;
}

/** What an empty organisation or region cell becomes (the model needs some text). */
export const UNKNOWN = '—';

/**
 * Contestants pasted one per line: `name`, `bib, name`, `bib, name, organisation` or
 * `bib, name, organisation, region` (comma, Chinese comma or tab). A header line (参赛号/姓名/bib/
 * name) is skipped; missing bibs are numbered 001, 002, … in order.
 */
export function parseContestants(text: string): PastedContestant[] {
  const lines = text
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const out: PastedContestant[] = [];
  for (const line of lines) {
    const cells = line.split(/[,，\t]/).map((c) => c.trim());
    if (/^(参赛号|编号|姓名|bib|name)$/i.test(cells[0] ?? '')) continue;
    const [bib, name, organisation, region] =
      cells.length === 1
        ? ['', cells[0] ?? '', '', '']
        : [cells[0] ?? '', cells[1] ?? '', cells[2] ?? '', cells[3] ?? ''];
    out.push({
      bib: bib === '' ? String(out.length + 1).padStart(3, '0') : bib,
      name,
      organisation: organisation === '' ? UNKNOWN : organisation,
      region: region === '' ? UNKNOWN : region,
    });
  }
  return out;
}

/** A fresh competition id from the clock (letters, digits and '-', as ids must be). */
export function newCompetitionId(now = Date.now()): string {
  return `contest-${now.toString(36)}`;
}

/** The set-up of the guided first contest: one event, one final round, judges 裁判1…N (the first is chief). */
export function firstContest(input: {
  id: string;
  name: string;
  eventName: string;
  preset: RulePreset;
  judges: number;
  contestants: readonly PastedContestant[];
}): CompetitionInput {
  const preset = PRESETS[input.preset];
  const eventId = 'event-1';
  return {
    id: input.id,
    name: input.name,
    events: [
      {
        id: eventId,
        name: input.eventName,
        criteria: preset.criteria.map(([label, max], i) => ({
          id: `k${i + 1}`,
          label,
          max,
          min: 0,
          step: 0.5,
          weight: '1',
          kind: 'judged' as const,
        })),
        scoring: {
          aggregation: preset.trim > 0 ? { kind: 'trimmed', trim: preset.trim } : { kind: 'mean' },
          decimals: 2,
          blind: false,
          medals: { kind: 'rank', gold: 1, silver: 2, bronze: 3 },
        },
        rounds: [{ id: 'final', name: '决赛', kind: 'final', mode: 'onsite', weight: '1' }],
      },
    ],
    contestants: input.contestants.map((c) => ({ id: c.bib, eventId, ...c })),
    teams: [],
    judges: Array.from({ length: input.judges }, (_, i) => ({
      id: `judge-${i + 1}`,
      name: i === 0 ? '裁判长' : `裁判${i}`,
      role: i === 0 ? ('chief' as const) : ('judge' as const),
      eventIds: [eventId],
    })),
  };
}
