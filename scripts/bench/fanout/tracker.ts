/**
 * What viewers saw: per viewer, the newest mark delivered for each contestant and the last board
 * version (to count gaps and reorderings); per process, the latency histogram and, per mark, how
 * many viewers had it and how late the last one got it.
 */
import { LatencyHistogram, type SparseHistogram } from '../lib/histogram.ts';
import { intendedAt, type MarkIndex } from '../lib/schedule.ts';

/** The parts of a board delta (or snapshot) the benchmark reads. */
export interface SeenBoard {
  prev?: number;
  version: number;
  rows: Array<{ id: string; total: string }>;
}

export interface ViewerState {
  /** Per contestant: position (in its mark list) of the newest mark delivered; -1 for none. */
  delivered: Int32Array;
  version: number;
  gaps: number;
  reorders: number;
}

export interface TrackerReport {
  histogram: SparseHistogram;
  /** Per mark: the latest arrival among this process's viewers (ms after its intended time). */
  lastArrival: number[];
  /** Per mark: how many of this process's viewers had it. */
  reached: number[];
  viewers: number;
  gaps: number;
  reorders: number;
  viewersWithGaps: number;
  maxGapsPerViewer: number;
  /** Marks some viewer never saw, summed over viewers. */
  undelivered: number;
  messages: number;
  bytes: number;
}

export class DeliveryTracker {
  readonly histogram = new LatencyHistogram();
  readonly lastArrival: Float64Array;
  readonly reached: Uint32Array;
  readonly viewers: ViewerState[] = [];
  messages = 0;
  bytes = 0;
  t0 = Number.POSITIVE_INFINITY;

  constructor(
    private readonly index: MarkIndex,
    private readonly rate: number,
  ) {
    this.lastArrival = new Float64Array(index.marks.length).fill(Number.NaN);
    this.reached = new Uint32Array(index.marks.length);
  }

  /** A new viewer, before its snapshot. */
  addViewer(): ViewerState {
    const v: ViewerState = {
      delivered: new Int32Array(this.index.byContestant.length).fill(-1),
      version: -1,
      gaps: 0,
      reorders: 0,
    };
    this.viewers.push(v);
    return v;
  }

  /** The viewer's subscription snapshot arrived. */
  snapshot(v: ViewerState, board: SeenBoard, at: number): void {
    v.version = board.version;
    this.rows(v, board.rows, at);
  }

  /** A delta of `bytes` bytes arrived at `at` (shared clock). */
  delta(v: ViewerState, delta: SeenBoard, at: number, bytes: number): void {
    this.messages++;
    this.bytes += bytes;
    if (delta.version <= v.version) {
      v.reorders++;
      return;
    }
    if (delta.prev !== undefined && delta.prev !== v.version) v.gaps++;
    v.version = delta.version;
    this.rows(v, delta.rows, at);
  }

  private rows(v: ViewerState, rows: SeenBoard['rows'], at: number): void {
    for (const row of rows) {
      const found = this.index.locate(row.id, row.total);
      if (!found) continue;
      const [c, pos] = found;
      const from = v.delivered[c] ?? -1;
      if (pos <= from) continue;
      const seqs = this.index.byContestant[c] ?? [];
      for (let p = from + 1; p <= pos; p++) {
        const seq = seqs[p];
        if (seq === undefined) continue;
        const latency = at - intendedAt(this.t0, this.rate, seq);
        this.histogram.record(latency);
        this.reached[seq] = (this.reached[seq] ?? 0) + 1;
        const last = this.lastArrival[seq] ?? Number.NaN;
        if (!(latency <= last)) this.lastArrival[seq] = latency;
      }
      v.delivered[c] = pos;
    }
  }

  /** Everything measured, for sending to the coordinator. */
  report(): TrackerReport {
    let gaps = 0;
    let reorders = 0;
    let withGaps = 0;
    let maxGaps = 0;
    let undelivered = 0;
    for (const v of this.viewers) {
      gaps += v.gaps;
      reorders += v.reorders;
      if (v.gaps > 0) withGaps++;
      maxGaps = Math.max(maxGaps, v.gaps);
      v.delivered.forEach((pos, c) => {
        undelivered += (this.index.byContestant[c]?.length ?? 0) - 1 - pos;
      });
    }
    return {
      histogram: this.histogram.toSparse(),
      lastArrival: Array.from(this.lastArrival),
      reached: Array.from(this.reached),
      viewers: this.viewers.length,
      gaps,
      reorders,
      viewersWithGaps: withGaps,
      maxGapsPerViewer: maxGaps,
      undelivered,
      messages: this.messages,
      bytes: this.bytes,
    };
  }
}
