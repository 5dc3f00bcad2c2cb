/**
 * A few real socket.io-client viewers, for correctness: they keep the board as a real screen
 * would (snapshot, then rows and removals from each delta) and, at the end, compare it with the
 * totals the schedule should have produced.
 */
import { io, type Socket } from 'socket.io-client';
import { now } from '../lib/clock.ts';
import { contestantId, type Mark } from '../lib/schedule.ts';
import type { DeliveryTracker, SeenBoard } from './tracker.ts';

interface Board extends SeenBoard {
  removed?: string[];
}

export interface IoViewerCheck {
  viewers: number;
  /** Viewers whose final board equals the expected totals. */
  consistent: number;
  /** First difference seen, for the report. */
  firstDifference: string | null;
}

export class IoViewers {
  private readonly sockets: Socket[] = [];
  private readonly boards: Array<Map<string, string>> = [];

  constructor(private readonly tracker: DeliveryTracker) {}

  /** Connect `count` viewers spread over `bases` and subscribe each to the board. */
  async connect(count: number, bases: string[], competitionId: string, board: string): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const socket = io(`${bases[i % bases.length] ?? ''}/public`, {
          transports: ['websocket'],
          reconnection: false,
        });
        const state = this.tracker.addViewer();
        const rows = new Map<string, string>();
        this.sockets.push(socket);
        this.boards.push(rows);
        socket.on('board:delta', (delta: Board) => {
          this.tracker.delta(state, delta, now(), JSON.stringify(delta).length);
          for (const id of delta.removed ?? []) rows.delete(id);
          for (const r of delta.rows) rows.set(r.id, r.total);
        });
        const ack = (await socket
          .timeout(30_000)
          .emitWithAck('board:subscribe', { competitionId, board })) as {
          ok: boolean;
          message?: string;
        } & Board;
        if (!ack.ok) throw new Error(`board:subscribe refused: ${ack.message ?? '?'}`);
        for (const r of ack.rows) rows.set(r.id, r.total);
        this.tracker.snapshot(state, ack, now());
      }),
    );
  }

  /** Compare every viewer's board with the final totals of `marks`, then disconnect. */
  check(marks: readonly Mark[]): IoViewerCheck {
    const expected = new Map<string, string>();
    for (const m of marks) expected.set(contestantId(m.contestant), String(m.total));
    let consistent = 0;
    let firstDifference: string | null = null;
    for (const rows of this.boards) {
      const diff = [...expected].find(([id, total]) => (rows.get(id) ?? '').split('.')[0] !== total);
      if (!diff) consistent++;
      else firstDifference ??= `${diff[0]}: expected ${diff[1]}, shown ${rows.get(diff[0]) ?? 'nothing'}`;
    }
    for (const s of this.sockets) s.disconnect();
    return { viewers: this.boards.length, consistent, firstDifference };
  }
}
