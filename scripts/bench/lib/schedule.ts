/**
 * The marks every benchmark submits, derived deterministically from a few numbers so that the
 * generator and every viewer process agree on them without shipping lists around.
 *
 * Mark i goes to contestant i mod C, from judge i mod J (so each judge marks evenly, under
 * Podium's per-judge write limit), with the value i + 1. The
 * event sums the judges' marks, and a judge's resubmission replaces its earlier (smaller) mark, so
 * each mark makes its contestant's total strictly larger: a total seen in a delta names exactly
 * one mark, and every earlier mark of that contestant is then delivered too (superseded).
 */

export interface ScheduleParams {
  /** Marks per second. */
  rate: number;
  /** Number of marks. */
  marks: number;
  contestants: number;
  judges: number;
}

export interface Mark {
  seq: number;
  contestant: number;
  judge: number;
  value: number;
  /** The contestant's total once this mark is applied. */
  total: number;
}

/** Contestant id of index `i` (c00001 …). */
export const contestantId = (i: number): string => `c${String(i + 1).padStart(5, '0')}`;
/** Judge id of index `j` (j001 …). */
export const judgeId = (j: number): string => `j${String(j + 1).padStart(3, '0')}`;
/** The largest mark value a schedule may use (the benchmark criterion's maximum). */
export const MAX_MARK = 1_000_000;

/** Every mark of the schedule, in order. */
export function buildMarks(p: ScheduleParams): Mark[] {
  if (p.marks > MAX_MARK) throw new Error(`at most ${MAX_MARK} marks per run`);
  const latest = new Map<string, number>();
  const totals = new Array<number>(p.contestants).fill(0);
  const marks: Mark[] = [];
  for (let seq = 0; seq < p.marks; seq++) {
    const contestant = seq % p.contestants;
    const judge = seq % p.judges;
    const value = seq + 1;
    const key = `${contestant}:${judge}`;
    const total = (totals[contestant] ?? 0) - (latest.get(key) ?? 0) + value;
    latest.set(key, value);
    totals[contestant] = total;
    marks.push({ seq, contestant, judge, value, total });
  }
  return marks;
}

/** Intended send time of mark `seq` for a run that starts at `t0` (ms, shared clock). */
export function intendedAt(t0: number, rate: number, seq: number): number {
  return t0 + (seq * 1000) / rate;
}

/**
 * Lookup for viewers: contestant id → (total string → position in that contestant's marks), and
 * each contestant's marks in order.
 */
export class MarkIndex {
  readonly byContestant: number[][];
  private readonly positions = new Map<string, Map<string, number>>();

  constructor(
    readonly marks: readonly Mark[],
    contestants: number,
  ) {
    this.byContestant = Array.from({ length: contestants }, () => []);
    for (const m of marks) {
      const list = this.byContestant[m.contestant];
      if (!list) continue;
      let totals = this.positions.get(contestantId(m.contestant));
      if (!totals) {
        totals = new Map();
        this.positions.set(contestantId(m.contestant), totals);
      }
      totals.set(String(m.total), list.length);
      list.push(m.seq);
    }
  }

  /** [contestant index, position] of a row seen in a delta, or null when it names no mark. */
  locate(id: string, total: string): [number, number] | null {
    const pos = this.positions.get(id)?.get(normaliseTotal(total));
    if (pos === undefined) return null;
    return [Number(id.slice(1)) - 1, pos];
  }
}

/** "1234.00" → "1234" (boards may print decimals; the schedule's totals are integers). */
function normaliseTotal(total: string): string {
  const dot = total.indexOf('.');
  return dot < 0 ? total : total.slice(0, dot);
}
