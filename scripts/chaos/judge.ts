/**
 * A simulated judge's tablet on a bad network. It keeps an outbox like the real tablet: a mark is
 * "saved" only once an `{ ok: true }` acknowledgement arrives; until then it is resent with the
 * SAME opId — after a dropped connection, a timeout or a transient error — possibly to another
 * server process. Its connection also drops at random, sometimes while an ack is in flight.
 */
import { io, type Socket } from 'socket.io-client';
import type { Random } from '../../server/demo/random.ts';
import type { Ack, CommandResult, ErrorCode } from '../../shared/events.ts';
import { sleep } from './cluster.ts';
import type { ChaosJudge } from './seed.ts';
import { CHAOS_ROUND } from './seed.ts';

/** One marks.submit the judge means to make. */
export interface PlannedMark {
  opId: string;
  contestantId: string;
  marks: Record<string, string>;
}

/** What the judge's screen shows as saved for one op. */
export interface SavedMark extends PlannedMark {
  logId: string;
  duplicate: boolean;
}

export interface JudgeStats {
  sends: number;
  resends: number;
  drops: number;
  connects: number;
  connectFailures: number;
  timeouts: number;
  errors: Partial<Record<ErrorCode, number>>;
}

/** Errors after which the same opId is simply sent again later. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'restoring',
  'rate_limited',
  'unavailable',
  'internal',
  'conflict',
  'unauthorized',
]);

const ACK_TIMEOUT_MS = 4_000;
const CONNECT_TIMEOUT_MS = 3_000;

type Outcome = { kind: 'ack'; ack: Ack<CommandResult> } | { kind: 'lost'; why: 'disconnect' | 'timeout' };

/** Plan `count` submissions for a judge: random contestants (so some are re-marked), random subsets of criteria. */
export function planMarks(judge: ChaosJudge, count: number, rng: Random, runId: string): PlannedMark[] {
  return Array.from({ length: count }, (_, i) => {
    const chosen = judge.criteria.filter(() => rng.next() < 0.7);
    const criteria = chosen.length > 0 ? chosen : judge.criteria.slice(0, 1);
    const marks: Record<string, string> = {};
    for (const c of criteria) {
      const steps = Math.floor((c.max - c.min) / c.step);
      marks[c.id] = String(c.min + rng.int(0, steps) * c.step);
    }
    return {
      opId: `${runId}-${judge.id}-${String(i).padStart(4, '0')}`,
      contestantId: rng.pick(judge.contestantIds),
      marks,
    };
  });
}

export class SimulatedJudge {
  readonly saved: SavedMark[] = [];
  /** Ops the server refused for good (never expected in a healthy run). */
  readonly rejected: Array<{ op: PlannedMark; code: ErrorCode; message: string }> = [];
  readonly stats: JudgeStats = {
    sends: 0,
    resends: 0,
    drops: 0,
    connects: 0,
    connectFailures: 0,
    timeouts: 0,
    errors: {},
  };
  private readonly outbox: PlannedMark[];
  private socket: Socket | null = null;

  constructor(
    private readonly judge: ChaosJudge,
    private readonly competitionId: string,
    private readonly token: string,
    plan: PlannedMark[],
    private readonly urls: () => string[],
    private readonly rng: Random,
    private readonly dropRate: number,
    private readonly paceMs: number,
  ) {
    this.outbox = [...plan];
  }

  get judgeId(): string {
    return this.judge.id;
  }

  get eventId(): string {
    return this.judge.eventId;
  }

  get pending(): number {
    return this.outbox.length;
  }

  /** Work through the outbox until it is empty or `deadline` (ms since epoch) passes. */
  async run(deadline: number): Promise<void> {
    let attempt = 0;
    while (this.outbox.length > 0 && Date.now() < deadline) {
      const op = this.outbox[0] as PlannedMark;
      const socket = await this.connected();
      if (socket === null) {
        await sleep(100 + this.rng.int(0, 300));
        continue;
      }
      if (attempt > 0) this.stats.resends++;
      this.stats.sends++;
      const outcome = await this.send(socket, op);
      if (outcome.kind === 'lost') {
        if (outcome.why === 'timeout') this.stats.timeouts++;
        this.drop();
        attempt++;
        continue;
      }
      const { ack } = outcome;
      if (ack.ok) {
        this.saved.push({ ...op, logId: ack.logId, duplicate: ack.duplicate });
        this.outbox.shift();
        attempt = 0;
        await sleep(this.rng.int(0, 2 * this.paceMs));
        continue;
      }
      this.stats.errors[ack.code] = (this.stats.errors[ack.code] ?? 0) + 1;
      if (!RETRYABLE.has(ack.code)) {
        this.rejected.push({ op, code: ack.code, message: ack.message });
        this.outbox.shift();
        attempt = 0;
        continue;
      }
      attempt++;
      if (ack.code === 'unauthorized') this.drop();
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + this.rng.next()));
    }
    this.drop();
  }

  /** The current socket, or a new one to a randomly chosen server; null when it could not connect. */
  private async connected(): Promise<Socket | null> {
    if (this.socket?.connected) return this.socket;
    this.drop();
    const url = this.rng.pick(this.urls());
    const socket = io(`${url}/judge`, {
      auth: { token: this.token },
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      timeout: CONNECT_TIMEOUT_MS,
    });
    // Socket.IO reports a handshake cut by a dying server as 'disconnect', and a namespace
    // handshake that never answers not at all: every way out must resolve.
    const ok = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS + 1_000);
      const done = (connected: boolean) => () => {
        clearTimeout(timer);
        resolve(connected);
      };
      socket.once('connect', done(true));
      socket.once('connect_error', done(false));
      socket.once('disconnect', done(false));
    });
    if (!ok) {
      this.stats.connectFailures++;
      socket.close();
      return null;
    }
    this.stats.connects++;
    this.socket = socket;
    return socket;
  }

  /** Emit one op and wait for its ack, a disconnect or a timeout; maybe cut the line meanwhile. */
  private send(socket: Socket, op: PlannedMark): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('disconnect', onDisconnect);
        resolve(outcome);
      };
      const onDisconnect = (): void => settle({ kind: 'lost', why: 'disconnect' });
      const timer = setTimeout(() => settle({ kind: 'lost', why: 'timeout' }), ACK_TIMEOUT_MS);
      socket.on('disconnect', onDisconnect);
      const payload = {
        opId: op.opId,
        competitionId: this.competitionId,
        eventId: this.judge.eventId,
        roundId: CHAOS_ROUND,
        contestantId: op.contestantId,
        marks: op.marks,
      };
      socket.emit('cmd:marks.submit', payload, (ack: Ack<CommandResult>) => settle({ kind: 'ack', ack }));
      // The flaky Wi-Fi: sometimes the line dies right after sending, before the ack can arrive.
      if (this.rng.next() < this.dropRate) {
        setTimeout(
          () => {
            if (socket.connected) {
              this.stats.drops++;
              socket.disconnect();
            }
          },
          this.rng.int(0, 15),
        );
      }
    });
  }

  private drop(): void {
    this.socket?.close();
    this.socket = null;
  }
}
