/**
 * Judges marking a 1,000-contestant event over real /judge sockets: a steady rate with regular
 * bursts (e.g. 20 marks/s, 120/s for 2 s in every 10 s), spread round-robin over the judges so no
 * judge passes Podium's per-judge write limit. Every send waits for its acknowledgement; the
 * driver counts acknowledged and refused marks.
 */
import { io, type Socket } from 'socket.io-client';
import { sleep } from '../lib/clock.ts';
import { CRITERIA, PAGES_EVENT, PAGES_ROUND, pagesContestantId } from './event.ts';

export interface MarkRates {
  /** Steady marks per second. */
  base: number;
  /** Marks per second during a burst. */
  burst: number;
  /** A burst lasts this long … */
  burstMs: number;
  /** … once every this many ms. */
  periodMs: number;
}

export interface MarkTally {
  sent: number;
  acked: number;
  refused: Record<string, number>;
}

/** Sign a judge code in through POST /api/auth/judge; the session token. */
export async function judgeToken(base: string, code: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/judge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const body = (await res.json()) as { token?: string; message?: string };
  if (!res.ok || body.token === undefined)
    throw new Error(`judge sign-in failed: ${body.message ?? res.status}`);
  return body.token;
}

/** A deterministic pseudo-random stream (mulberry32), so runs mark the same way. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Judges' sockets that submit marks on a schedule until stopped. */
export class MarkDriver {
  readonly tally: MarkTally = { sent: 0, acked: 0, refused: {} };
  private readonly sockets: Socket[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly rng = random(20);
  private next = 0;

  constructor(
    private readonly base: string,
    private readonly competitionId: string,
    private readonly contestants: number,
  ) {}

  /** Open one socket per judge token and wait until all are connected. */
  async connect(tokens: string[]): Promise<void> {
    for (const token of tokens) {
      this.sockets.push(
        io(`${this.base}/judge`, { transports: ['websocket'], auth: { token }, reconnection: true }),
      );
    }
    await Promise.all(
      this.sockets.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
          }),
      ),
    );
  }

  /** One mark from judge `j` for contestant `i`, awaiting the ack. */
  private async send(j: number, i: number): Promise<void> {
    const socket = this.sockets[j];
    if (socket === undefined) return;
    const marks: Record<string, string> = {};
    for (const c of CRITERIA) marks[c.id] = String(Math.round(this.rng() * c.max * 2) / 2);
    this.tally.sent++;
    try {
      const ack = (await socket.timeout(10_000).emitWithAck('cmd:marks.submit', {
        opId: crypto.randomUUID(),
        competitionId: this.competitionId,
        eventId: PAGES_EVENT,
        roundId: PAGES_ROUND,
        contestantId: pagesContestantId(i),
        marks,
      })) as { ok: boolean; code?: string };
      if (ack.ok) this.tally.acked++;
      else this.tally.refused[ack.code ?? '?'] = (this.tally.refused[ack.code ?? '?'] ?? 0) + 1;
    } catch {
      this.tally.refused.timeout = (this.tally.refused.timeout ?? 0) + 1;
    }
  }

  /** Give every contestant one mark (judge i mod J), at `rate` marks/s, so every row is on the board. */
  async markEveryone(rate: number): Promise<void> {
    const inFlight: Promise<void>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < this.contestants; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      inFlight.push(this.send(i % this.sockets.length, i));
    }
    await Promise.all(inFlight);
  }

  /** Start marking on the schedule (random contestants, round-robin judges) until stop(). */
  start(rates: MarkRates): void {
    this.running = true;
    this.loop = (async () => {
      const inFlight = new Set<Promise<void>>();
      const t0 = Date.now();
      let due = 0;
      let last = t0;
      while (this.running) {
        await sleep(25);
        const now = Date.now();
        const inBurst = (now - t0) % rates.periodMs < rates.burstMs;
        due += ((now - last) * (inBurst ? rates.burst : rates.base)) / 1000;
        last = now;
        // At most one second's worth of backlog: a stalled driver does not fire a storm later.
        due = Math.min(due, rates.burst);
        while (due >= 1) {
          due -= 1;
          const j = this.next++ % this.sockets.length;
          const p = this.send(j, Math.floor(this.rng() * this.contestants));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
        }
      }
      await Promise.all(inFlight);
    })();
  }

  /** Stop marking and wait for outstanding acks. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  /** Close every socket. */
  close(): void {
    for (const s of this.sockets) s.disconnect();
  }
}
