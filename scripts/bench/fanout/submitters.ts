/**
 * Simulated judges: how the generator hands one mark to a server and learns it was accepted.
 * Podium and the naive baseline take marks over Socket.IO (/judge, 'cmd:marks.submit' with ack);
 * the bare baseline over a plain WebSocket.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { contestantId, type Mark } from '../lib/schedule.ts';

export interface MarkTarget {
  competitionId: string;
  eventId: string;
  roundId: string;
  criterionId: string;
}

/** Who the judges are and where they submit, as plain data (it crosses to the judge worker). */
export type JudgeSpec =
  | { kind: 'socket.io'; bases: string[]; tokens: string[]; target: MarkTarget }
  | { kind: 'bare'; base: string; judges: number };

/** Connect the judges `spec` describes. */
export function connectSubmitter(spec: JudgeSpec): Promise<Submitter> {
  return spec.kind === 'bare'
    ? bareJudges(spec.base, spec.judges)
    : socketIoJudges(spec.bases, spec.tokens, spec.target);
}

export interface Submitter {
  /** Resolves when the server acknowledged the mark; rejects with its error. */
  submit(mark: Mark): Promise<void>;
  close(): void;
}

/** Judges on Socket.IO /judge: one socket per judge, authenticated with `tokens[judge]`. */
export async function socketIoJudges(
  bases: string[],
  tokens: string[],
  target: MarkTarget,
): Promise<Submitter> {
  const sockets: Socket[] = tokens.map((token, j) =>
    io(`${bases[j % bases.length] ?? ''}/judge`, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    }),
  );
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve, reject) => {
          s.once('connect', () => resolve());
          s.once('connect_error', (e) => reject(new Error(`judge socket refused: ${e.message}`)));
        }),
    ),
  );
  return {
    submit(mark) {
      const socket = sockets[mark.judge % sockets.length];
      if (!socket) return Promise.reject(new Error('no judge socket'));
      const payload = {
        opId: randomUUID(),
        competitionId: target.competitionId,
        eventId: target.eventId,
        roundId: target.roundId,
        contestantId: contestantId(mark.contestant),
        marks: { [target.criterionId]: mark.value },
      };
      return socket
        .timeout(60_000)
        .emitWithAck('cmd:marks.submit', payload)
        .then((ack: { ok: boolean; code?: string; message?: string }) => {
          if (!ack.ok) throw new Error(`${ack.code ?? '?'}: ${ack.message ?? ''}`);
        });
    },
    close() {
      for (const s of sockets) s.disconnect();
    },
  };
}

/** Judges of the bare baseline: JSON over ws path /judge. */
export async function bareJudges(base: string, judges: number): Promise<Submitter> {
  const pending = new Map<number, () => void>();
  let nextId = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: judges },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/judge`, { perMessageDeflate: false });
          ws.on('open', () => resolve(ws));
          ws.on('error', reject);
          ws.on('message', (data: Buffer) => {
            const { id } = JSON.parse(data.toString()) as { id: number };
            pending.get(id)?.();
            pending.delete(id);
          });
        }),
    ),
  );
  return {
    submit(mark) {
      const ws = sockets[mark.judge % sockets.length];
      if (!ws) return Promise.reject(new Error('no judge socket'));
      const id = nextId++;
      const acked = new Promise<void>((resolve) => pending.set(id, resolve));
      ws.send(
        JSON.stringify({
          id,
          contestantId: contestantId(mark.contestant),
          judgeId: `j${mark.judge}`,
          value: mark.value,
        }),
      );
      return acked;
    },
    close() {
      for (const ws of sockets) ws.terminate();
    },
  };
}
