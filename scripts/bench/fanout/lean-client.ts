/**
 * A minimal Socket.IO v5 / Engine.IO v4 viewer speaking the protocol directly over `ws`
 * (websocket transport only), so one process can hold thousands of viewers:
 *   server '0{…}' open            → client '40/public,'         (connect the namespace)
 *   server '40/public,{"sid":…}'  → client '42/public,0["board:subscribe",{…}]'
 *   server '43/public,0[{ack}]'   → snapshot
 *   server '42/public,["board:delta",{…}]' → delta
 *   server '2' ping               → client '3' pong
 */
import WebSocket from 'ws';
import type { SeenBoard } from './tracker.ts';

const NS = '/public';
const EVENT_PREFIX = `42${NS},`;
const ACK_PREFIX = `43${NS},0`;
const CONNECT_PREFIX = `40${NS},`;
const CONNECT_ERROR_PREFIX = `44${NS},`;

/**
 * Recently parsed event frames. Viewers on one server receive byte-identical frames, so a worker
 * parses each distinct frame once and compares the rest byte for byte (memcmp); without this the
 * load generator, not the server, would be what we measure.
 */
export class FrameCache {
  private readonly entries: Array<{ buf: Buffer; value: unknown }> = [];

  /** The JSON value of `buf` after `skip` bytes, parsed at most once per distinct frame. */
  parse(buf: Buffer, skip: number): unknown {
    for (const e of this.entries) if (e.buf.length === buf.length && e.buf.equals(buf)) return e.value;
    const value: unknown = JSON.parse(buf.toString('utf8', skip));
    this.entries.unshift({ buf, value });
    if (this.entries.length > 8) this.entries.pop();
    return value;
  }
}

export interface LeanViewerOptions {
  /** http://host:port of the server. */
  base: string;
  localAddress?: string;
  competitionId: string;
  board: string;
  cache: FrameCache;
  onDelta(delta: SeenBoard, bytes: number): void;
}

/** One lean viewer; `ready` resolves with the subscription snapshot. */
export class LeanViewer {
  readonly ready: Promise<SeenBoard>;
  private ws: WebSocket;
  private closed = false;

  constructor(private readonly o: LeanViewerOptions) {
    const url = `${o.base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    this.ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
      ...(o.localAddress ? { localAddress: o.localAddress } : {}),
    });
    this.ready = new Promise<SeenBoard>((resolve, reject) => {
      this.ws.on('error', reject);
      this.ws.on('close', (code) => {
        if (!this.closed) reject(new Error(`closed before the snapshot (code ${code})`));
      });
      this.ws.on('message', (data: Buffer) => this.onFrame(data, resolve, reject));
    });
  }

  /** Close the connection. */
  close(): void {
    this.closed = true;
    this.ws.terminate();
  }

  private onFrame(data: Buffer, resolve: (s: SeenBoard) => void, reject: (e: Error) => void): void {
    const kind = data[0];
    if (kind === 0x32 /* '2' ping */) {
      this.ws.send('3');
      return;
    }
    if (kind === 0x30 /* '0' open */) {
      this.ws.send(CONNECT_PREFIX);
      return;
    }
    if (kind !== 0x34 /* '4' message */) return;
    if (startsWith(data, EVENT_PREFIX)) {
      const packet = this.o.cache.parse(data, EVENT_PREFIX.length);
      if (Array.isArray(packet) && packet[0] === 'board:delta')
        this.o.onDelta(packet[1] as SeenBoard, data.length);
      return;
    }
    const text = data.toString();
    if (text.startsWith(ACK_PREFIX)) {
      const [ack] = JSON.parse(text.slice(ACK_PREFIX.length)) as [
        { ok: boolean; message?: string } & SeenBoard,
      ];
      if (ack.ok) resolve(ack);
      else reject(new Error(`board:subscribe refused: ${ack.message ?? '?'}`));
    } else if (text.startsWith(CONNECT_PREFIX)) {
      const req = { competitionId: this.o.competitionId, board: this.o.board };
      this.ws.send(`42${NS},0${JSON.stringify(['board:subscribe', req])}`);
    } else if (text.startsWith(CONNECT_ERROR_PREFIX)) {
      reject(new Error(`namespace refused: ${text}`));
    }
  }
}

function startsWith(buf: Buffer, prefix: string): boolean {
  if (buf.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
