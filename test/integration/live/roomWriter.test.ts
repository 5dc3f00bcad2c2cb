/**
 * writeToRoom over real sockets: a Socket.IO server built by createIo (the production options) on
 * a loopback port, real socket.io-client viewers (WebSocket and long-polling) and, for the slow
 * viewer, a raw `ws` client speaking Engine.IO/Socket.IO that stops reading its TCP socket.
 * What a spectator notices: every message arrives once, intact and in order, whichever path the
 * server took; a viewer that cannot keep up is skipped (not buffered without bound) and told to
 * re-snapshot once it has caught up.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import type { Namespace, Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createIo, type PodiumIo } from '../../../server/live/io.ts';
import {
  SLICE_SOCKETS,
  SLOW_VIEWER_BYTES,
  writeToRoom,
  type RoomWriteResult,
} from '../../../server/live/roomWriter.ts';
import { BOARD, closeSockets, collect, connected, next, sleep } from './fixtures.ts';

/**
 * Every viewer joins the room its client names in the handshake's auth payload (the query is not
 * kept: createIo drops each session's first HTTP request to save memory).
 */
function roomOf(socket: ServerSocket): string {
  const room = (socket.handshake.auth as Record<string, unknown>)['room'];
  return typeof room === 'string' ? room : 'nowhere';
}

let http: HttpServer;
let io: PodiumIo;
let url: string;
/** The /public namespace, typed as writeToRoom takes it (as broadcaster.ts does). */
let spectators: Namespace;

beforeAll(async () => {
  http = createServer();
  io = createIo(http, []);
  spectators = io.public as unknown as Namespace;
  spectators.on('connection', (socket) => {
    void socket.join(roomOf(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await io.server.close();
});
afterEach(() => closeSockets());

let rooms = 0;
/** A fresh room per test, so tests never see each other's viewers. */
function freshRoom(): string {
  rooms += 1;
  return `public:test-${rooms}:${BOARD}`;
}

function viewer(room: string, transport: 'websocket' | 'polling' = 'websocket'): Promise<ClientSocket> {
  return connected(url, '/public', { transports: [transport], auth: { room } });
}

function serverSocketOf(client: ClientSocket): ServerSocket {
  const socket = client.id === undefined ? undefined : spectators.sockets.get(client.id);
  if (socket === undefined) throw new Error(`no server socket for ${client.id ?? '?'}`);
  return socket;
}

/** The Engine.IO internals the slow-viewer test measures (the same ones roomWriter.ts reads). */
interface EngineInternals {
  writeBuffer: Array<{ data?: unknown }>;
  transport: { name: string; socket?: { _socket?: NetSocket } };
}

/** The server side of a WebSocket viewer's TCP connection. */
function serverTcp(socket: ServerSocket): NetSocket {
  const tcp = (socket.conn as unknown as EngineInternals).transport.socket?._socket;
  if (tcp === undefined) throw new Error('not a WebSocket viewer');
  return tcp;
}

/** Bytes the server holds in user space for a viewer: TCP write queue plus Engine.IO's write buffer. */
function queuedBytes(socket: ServerSocket): number {
  let bytes = serverTcp(socket).writableLength;
  for (const packet of (socket.conn as unknown as EngineInternals).writeBuffer) {
    if (typeof packet.data === 'string') bytes += Buffer.byteLength(packet.data);
    else if (Buffer.isBuffer(packet.data)) bytes += packet.data.length;
  }
  return bytes;
}

/** Size on the wire of one event frame to /public (WebSocket header at most 10 bytes). */
function frameBytes(event: string, payload: unknown): number {
  return Buffer.byteLength(`42/public,${JSON.stringify([event, payload])}`) + 10;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function add(total: RoomWriteResult, one: RoomWriteResult): void {
  total.direct += one.direct;
  total.fallback += one.fallback;
  total.skipped += one.skipped;
}

const ignoreDrain = (): void => undefined;

/**
 * A viewer speaking Engine.IO v4 / Socket.IO v5 over a bare `ws` client (as
 * scripts/bench/fanout/lean-client.ts does), so the test can stop reading its TCP socket.
 */
class RawViewer {
  readonly ws: WebSocket;
  /** [event, payload] of every event received, in order. */
  readonly events: Array<[string, unknown]> = [];
  /** Resolves with the Socket.IO socket id once /public is connected. */
  readonly sid: Promise<string>;

  constructor(base: string, room: string) {
    this.ws = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    this.sid = new Promise((resolve, reject) => {
      this.ws.on('error', reject);
      this.ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text === '2') this.ws.send('3');
        else if (text.startsWith('0')) this.ws.send(`40/public,${JSON.stringify({ room })}`);
        else if (text.startsWith('40/public,')) resolve((JSON.parse(text.slice(10)) as { sid: string }).sid);
        else if (text.startsWith('42/public,'))
          this.events.push(JSON.parse(text.slice(10)) as [string, unknown]);
      });
    });
  }

  /** Resolves once `count` events named `event` have arrived. */
  async received(event: string, count: number): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (this.events.filter(([e]) => e === event).length >= count) return;
      await sleep(20);
    }
    throw new Error(`fewer than ${count} ${event} events arrived`);
  }

  close(): void {
    this.ws.terminate();
  }
}

describe('writeToRoom', () => {
  it('delivers the exact payload to a WebSocket viewer directly and to a long-polling viewer through Socket.IO', async () => {
    const room = freshRoom();
    const ws = await viewer(room, 'websocket');
    const polling = await viewer(room, 'polling');
    const outsider = await viewer(freshRoom());
    const missed = collect(outsider, 'board:delta');
    const payload = {
      competitionId: 'skills-2025',
      board: BOARD,
      prev: 41,
      version: 42,
      rows: [{ id: 'c1', name: 'Zoë Müller 李娜 🏆', total: '87.50', rank: 1, previousRank: null }],
      removed: ['c9'],
    };
    const atWs = next(ws, 'board:delta');
    const atPolling = next(polling, 'board:delta');

    const result = await writeToRoom(spectators, room, 'board:delta', payload, ignoreDrain);

    expect(result).toEqual({ direct: 1, fallback: 1, skipped: 0 });
    expect(await atWs).toEqual(payload);
    expect(await atPolling).toEqual(payload);
    await sleep(100);
    expect(missed).toEqual([]);
  });

  it('writes nothing and reports zeros for a room nobody watches', async () => {
    expect(await writeToRoom(spectators, freshRoom(), 'board:delta', { v: 1 }, ignoreDrain)).toEqual({
      direct: 0,
      fallback: 0,
      skipped: 0,
    });
  });

  describe.each([
    ['in one event-loop turn', false],
    ['with a turn of the event loop between messages', true],
  ] as const)('keeps each viewer’s order across both paths, %s', (_name, spaced) => {
    it('for a WebSocket and a long-polling viewer', async () => {
      const room = freshRoom();
      const clients = [await viewer(room, 'websocket'), await viewer(room, 'polling')];
      const seen = clients.map((c) => collect<number>(c, 'n'));
      const done = clients.map((c) => next<number>(c, 'n', (n) => n === 49, 10_000));
      const total: RoomWriteResult = { direct: 0, fallback: 0, skipped: 0 };

      for (let n = 0; n < 50; n++) {
        if (n % 2 === 0) add(total, await writeToRoom(spectators, room, 'n', n, ignoreDrain));
        else if (n % 4 === 1) spectators.to(room).emit('n', n);
        else for (const c of clients) serverSocketOf(c).emit('n', n);
        if (spaced) await sleep(5);
      }
      await Promise.all(done);

      const expected = Array.from({ length: 50 }, (_, n) => n);
      expect(seen[0]).toEqual(expected);
      expect(seen[1]).toEqual(expected);
      expect(total.skipped).toBe(0);
      // The polling viewer always takes the ordinary path; the WebSocket viewer takes the direct
      // one whenever Engine.IO has nothing queued for it (always, once the earlier write is out).
      expect(total.direct + total.fallback).toBe(50);
      expect(total.fallback).toBeGreaterThanOrEqual(25);
      if (spaced) expect(total.direct).toBe(25);
    });
  });

  describe('a room larger than one slice', () => {
    const room = freshRoom();
    const crowd: ClientSocket[] = [];
    const size = SLICE_SOCKETS + 20;

    /** Like fixtures' `connected`, but kept out of its list so afterEach leaves the crowd standing. */
    function member(): Promise<ClientSocket> {
      const socket = connect(`${url}/public`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { room },
      });
      crowd.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    }

    beforeAll(async () => {
      for (let i = 0; i < size; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, size - i) }, member));
      }
    }, 60_000);
    afterAll(() => {
      for (const c of crowd) c.close();
    });

    it('reaches every viewer exactly once', async () => {
      const seen = crowd.map((c) => collect<{ seq: number }>(c, 'board:delta'));
      const all = Promise.all(crowd.map((c) => next(c, 'board:delta', () => true, 15_000)));

      const result = await writeToRoom(spectators, room, 'board:delta', { seq: 1 }, ignoreDrain);
      await all;
      await sleep(100);

      expect(result).toEqual({ direct: size, fallback: 0, skipped: 0 });
      expect(seen.every((s) => s.length === 1 && s[0]?.seq === 1)).toBe(true);
    });

    it('does not throw when viewers of a later slice leave or lose their connection while it yields', async () => {
      const leaver = crowd[SLICE_SOCKETS + 3] as ClientSocket;
      const cut = crowd[SLICE_SOCKETS + 7] as ClientSocket;
      const stayers = crowd.filter((c) => c !== leaver && c !== cut);
      const all = Promise.all(
        stayers.map((c) => next(c, 'board:delta', (d: { seq: number }) => d.seq === 2)),
      );

      const writing = writeToRoom(spectators, room, 'board:delta', { seq: 2 }, ignoreDrain);
      // The first slice is written synchronously; the next waits for a turn of the event loop.
      serverSocketOf(leaver).disconnect(true);
      serverTcp(serverSocketOf(cut)).destroy();
      const result = await writing;
      await all;

      expect(result.skipped).toBe(0);
      // The disconnected viewer is gone; the cut one is either gone or failed over to the ordinary path.
      expect(result.direct + result.fallback).toBeGreaterThanOrEqual(size - 2);
      expect(result.direct + result.fallback).toBeLessThanOrEqual(size - 1);
      expect(result.direct).toBeGreaterThanOrEqual(size - 2);
    });
  });

  describe('a viewer that stops reading', () => {
    const raws: RawViewer[] = [];
    afterEach(() => {
      for (const r of raws.splice(0)) r.close();
    });

    async function slowViewer(room: string): Promise<{ raw: RawViewer; socket: ServerSocket }> {
      const raw = new RawViewer(url, room);
      raws.push(raw);
      const sid = await raw.sid;
      const socket = spectators.sockets.get(sid);
      if (socket === undefined) throw new Error('raw viewer not connected');
      return { raw, socket };
    }

    /** 128 KB per message: several kernel buffers' worth are needed before user space fills. */
    function big(seq: number) {
      return { seq, blob: 'x'.repeat(128 * 1024) };
    }

    it('is skipped with bounded memory, and told once after it drains', async () => {
      const room = freshRoom();
      const { raw, socket } = await slowViewer(room);
      const tcp = serverTcp(socket);
      const frame = frameBytes('big', big(999_999));
      const drained: ServerSocket[] = [];
      const onDrained = (s: ServerSocket) => drained.push(s);
      const written: number[] = [];
      const total: RoomWriteResult = { direct: 0, fallback: 0, skipped: 0 };
      let peak = 0;

      raw.ws.pause();
      let seq = 0;
      // Write until the kernel's buffers (both ends of the loopback connection) are full and
      // user space holds more than SLOW_VIEWER_BYTES, then a few more.
      for (let extra = 0; extra < 5 && seq < 5_000; seq++) {
        const one = await writeToRoom(spectators, room, 'big', big(seq), onDrained);
        add(total, one);
        if (one.direct === 1) written.push(seq);
        if (total.skipped > 0) extra++;
        peak = Math.max(peak, tcp.writableLength);
        await nextTurn();
      }

      expect(total.skipped).toBeGreaterThan(0);
      expect(total.fallback).toBe(0);
      expect(peak).toBeGreaterThan(SLOW_VIEWER_BYTES);
      expect(peak).toBeLessThanOrEqual(SLOW_VIEWER_BYTES + frame);
      await sleep(200);
      expect(drained).toEqual([]);

      const told = new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (drained.length > 0) {
            clearInterval(check);
            resolve();
          }
        }, 10);
      });
      raw.ws.resume();
      await told;
      await raw.received('big', written.length);
      // Once it has caught up, it is written to directly again.
      expect(await writeToRoom(spectators, room, 'big', big(seq), onDrained)).toEqual({
        direct: 1,
        fallback: 0,
        skipped: 0,
      });
      written.push(seq);
      await raw.received('big', written.length);
      await sleep(100);

      expect(drained.map((s) => s.id)).toEqual([socket.id]);
      // It received exactly the messages written to it, in order, and none of the skipped ones.
      expect(raw.events.filter(([e]) => e === 'big').map(([, p]) => (p as { seq: number }).seq)).toEqual(
        written,
      );
    });

    it('is told once per room it was skipped in (a board and the audience count)', async () => {
      const board = freshRoom();
      const counts = freshRoom();
      const { raw, socket } = await slowViewer(board);
      await socket.join(counts);
      const told: string[] = [];
      let skipped = 0;

      raw.ws.pause();
      for (let seq = 0; skipped === 0 && seq < 5_000; seq++) {
        skipped += (await writeToRoom(spectators, board, 'big', big(seq), () => told.push('board'))).skipped;
        await nextTurn();
      }
      // Stuck now: a write to its other room is skipped too, with that room's own callback.
      const other = await writeToRoom(spectators, counts, 'audience', { count: 1 }, () =>
        told.push('counts'),
      );
      expect(other).toEqual({ direct: 0, fallback: 0, skipped: 1 });
      // A second skip in the same room replaces the first: still one call per room.
      await writeToRoom(spectators, counts, 'audience', { count: 2 }, () => told.push('counts'));

      raw.ws.resume();
      for (let i = 0; i < 250 && told.length < 2; i++) await sleep(20);
      await sleep(100);
      expect(told.sort()).toEqual(['board', 'counts']);
    });

    it('stays bounded when an ordinary emit is waiting in Engine.IO’s buffer', async () => {
      const room = freshRoom();
      const { raw, socket } = await slowViewer(room);
      const frame = frameBytes('big', big(999_999));
      const drained: ServerSocket[] = [];
      const onDrained = (s: ServerSocket) => drained.push(s);
      let skipped = 0;
      let seq = 0;

      raw.ws.pause();
      for (; skipped === 0 && seq < 5_000; seq++) {
        skipped += (await writeToRoom(spectators, room, 'big', big(seq), onDrained)).skipped;
        await nextTurn();
      }
      expect(skipped).toBe(1);

      // Ordinary emits to the competition room (a stage update, a control change) while it is
      // stuck: the first waits in the TCP queue, the next in Engine.IO's write buffer.
      spectators.to(room).emit('stage:update', { n: 1 });
      spectators.to(room).emit('stage:update', { n: 2 });
      const afterEmits = queuedBytes(socket);
      const results: RoomWriteResult[] = [];
      let peak = 0;
      for (let i = 0; i < 20; i++, seq++) {
        results.push(await writeToRoom(spectators, room, 'big', big(seq), onDrained));
        peak = Math.max(peak, queuedBytes(socket));
        await nextTurn();
      }

      expect(results.every((r) => r.skipped === 1 && r.direct === 0 && r.fallback === 0)).toBe(true);
      expect(peak).toBeLessThanOrEqual(Math.max(afterEmits, SLOW_VIEWER_BYTES + frame));
      expect(drained).toEqual([]);

      raw.ws.resume();
      await raw.received('stage:update', 2);
      for (let i = 0; i < 250 && drained.length === 0; i++) await sleep(20);
      expect(drained.map((s) => s.id)).toEqual([socket.id]);
    });
  });
});
