/**
 * The hot path of the fan-out: one board delta to every spectator of a board on this node.
 *
 * Socket.IO's own room broadcast already encodes once, but then walks each socket through
 * Engine.IO's write buffer, a packet object, 'flush'/'drain' events and a write callback — about
 * 23 µs per socket on our benchmark machine, so one delta to a 5,000-viewer room held the event
 * loop for ~115 ms and judges' acknowledgements queued behind it (docs/BENCHMARKS.md). Here the
 * WebSocket frame is built once (with `ws`'s own framer, as socket.io-adapter does) and written
 * straight to each viewer's TCP socket — what a bare `ws` server does.
 *
 * That is only safe while nothing is queued above the TCP socket, so a viewer gets the direct
 * write only when Engine.IO's write buffer is empty and its `ws` sender is idle (no compression
 * is configured, so it always is); anything else — long-polling viewers, an upgrade in progress —
 * takes Socket.IO's ordinary path with the same pre-encoded packet. Order per socket is kept:
 * both paths write synchronously to the same socket, and the direct one is used only when the
 * ordinary one has nothing pending.
 *
 * A WebSocket viewer whose connection cannot keep up (more than SLOW_VIEWER_BYTES waiting in user
 * space: the kernel buffer's overflow plus Engine.IO's write buffer) is skipped rather than
 * buffered without bound, on either path; once its socket drains it is sent 'board:reset' and
 * re-reads a snapshot, so a skipped delta never leaves a stale board.
 *
 * The direct path reads private fields of engine.io, ws and socket.io (INTERNALS; package.json pins
 * the three to exact versions, with one ws: the copy engine.io uses). A writer checks each of them
 * once — the framer when it is created, the per-connection ones on the first viewers it meets — and
 * if one is missing it says so once (`onPublicPath`: a log line and a metric) and from then on sends
 * through Socket.IO's public API (`namespace.local.to(room).emit`), slower but always correct.
 */
import type { Socket as NetSocket } from 'node:net';
import * as ws from 'ws';
import type { Namespace, Socket } from 'socket.io';

/** Bytes queued in user space for one viewer beyond which its deltas are skipped. */
export const SLOW_VIEWER_BYTES = 512 * 1024;

/**
 * A slice — the sockets written in one event-loop turn — ends after SLICE_MS of writing or
 * SLICE_SOCKETS sockets, whichever comes first. Every await on the judges' path (the session
 * read, the commit, each Redis reply) waits for the current slice to end, and a mark takes
 * several of them, so the slice's length multiplies into the judges' acknowledgement time:
 * with 500-socket slices (5–10 ms on a loaded 2-core machine) acks reached p99 ~175 ms at 10,000
 * viewers, with 1 ms slices ~30 ms, while the write itself took no longer (docs/BENCHMARKS.md).
 * A time budget holds on a slow or busy machine, where a fixed count would not.
 */
export const SLICE_MS = 1;
/** At most this many sockets per slice, however fast the writes are. */
export const SLICE_SOCKETS = 500;
/** Read the clock every this many sockets (a write takes ~10 µs: the budget is overshot by < 0.5 ms). */
const BUDGET_CHECK_EVERY = 32;

/** Socket.IO packet type of an event (socket.io-parser's PacketType.EVENT). */
const EVENT_PACKET = 2;
/** Engine.IO packet type of a message, the prefix of every Socket.IO packet on the wire. */
const ENGINE_MESSAGE = '4';

/** The private fields the direct path relies on, each checked once before it is relied on. */
export const INTERNALS = [
  'ws.Sender.frame',
  'socket.io Client.writeToEngine',
  'engine.io Socket.writeBuffer',
  'engine.io WebSocket transport.socket',
  'ws WebSocket._socket',
  'ws Sender._state',
  'ws Sender._queue',
] as const;
/** One of INTERNALS. */
export type Internal = (typeof INTERNALS)[number];

/** The untyped internals this module reads; each is checked before it is relied on. */
interface EngineSocketInternals {
  readyState: string;
  writeBuffer: unknown[];
  transport: {
    name: string;
    socket?: { readyState?: number; _socket?: NetSocket; _sender?: { _state?: unknown; _queue?: unknown } };
  };
}
interface ClientInternals {
  writeToEngine(encoded: unknown[], opts: { preEncoded: true }): void;
}

export interface RoomWriteResult {
  /** Viewers written to directly. */
  direct: number;
  /** Viewers served through Socket.IO's ordinary path. */
  fallback: number;
  /** Slow viewers skipped (they are reset when they drain). */
  skipped: number;
}

export interface RoomWriterOptions {
  /** Called once when an internal is missing; the writer then uses Socket.IO's public path. */
  onPublicPath?: (missing: Internal) => void;
  /** For tests: treat these internals as missing, as a future engine.io or ws might. */
  assumeMissing?: readonly Internal[];
}

/** Writes one event to every viewer of a room on this node (see the module comment). */
export interface RoomWriter {
  /**
   * Emit `event` with `payload` to every socket of `namespace` on THIS node that is in `room`.
   * Sockets are written in slices (SLICE_MS, SLICE_SOCKETS) with a turn of the event loop between
   * slices, so judges' submissions and Redis replies are not held up by a large room; callers must not
   * start the next write to the same room before this one's promise settles (order per viewer).
   * `onDrainedAfterSkip` is called once per skipped slow viewer when its socket has drained (the
   * latest write's, per room: writes to other rooms keep their own).
   */
  write(
    namespace: Namespace,
    room: string,
    event: string,
    payload: unknown,
    onDrainedAfterSkip: (socket: Socket) => void,
  ): Promise<RoomWriteResult>;
  /** 'direct' once the internals were found, 'public' after one was missing. */
  readonly path: 'unchecked' | 'direct' | 'public';
}

/** A writer that checks the internals it relies on and falls back to the public path without them. */
export function createRoomWriter(options: RoomWriterOptions = {}): RoomWriter {
  const assumedMissing = new Set(options.assumeMissing ?? []);
  let path: RoomWriter['path'] = 'unchecked';
  let checkedClient = false;
  let checkedWebSocket = false;
  const missing = (name: Internal): void => {
    if (path === 'public') return;
    path = 'public';
    options.onPublicPath?.(name);
  };
  const has = (name: Internal, present: boolean): boolean => {
    if (present && !assumedMissing.has(name)) return true;
    missing(name);
    return false;
  };
  has('ws.Sender.frame', typeof Sender?.frame === 'function');
  /** Read through a call: `verify` may switch it, which the type checker's narrowing cannot see. */
  const currentPath = (): RoomWriter['path'] => path;

  /** Check the per-connection internals on the first sockets that show them; false once one is missing. */
  const verify = (socket: Socket): boolean => {
    if (path === 'public') return false;
    const conn = socket.conn as unknown as Partial<EngineSocketInternals>;
    if (!checkedClient) {
      checkedClient = true;
      const client = socket.client as unknown as Partial<ClientInternals>;
      if (!has('socket.io Client.writeToEngine', typeof client.writeToEngine === 'function')) return false;
      if (!has('engine.io Socket.writeBuffer', Array.isArray(conn.writeBuffer))) return false;
    }
    if (!checkedWebSocket && conn.readyState === 'open' && conn.transport?.name === 'websocket') {
      checkedWebSocket = true;
      const websocket = conn.transport.socket;
      const tcp = websocket?._socket;
      const sender = websocket?._sender;
      if (!has('engine.io WebSocket transport.socket', typeof websocket === 'object')) return false;
      if (
        !has(
          'ws WebSocket._socket',
          typeof tcp?.write === 'function' && typeof tcp.writableLength === 'number',
        )
      )
        return false;
      if (!has('ws Sender._state', typeof sender?._state === 'number')) return false;
      if (!has('ws Sender._queue', Array.isArray(sender?._queue))) return false;
      path = 'direct';
    }
    return true;
  };

  return {
    get path() {
      return path;
    },
    async write(namespace, room, event, payload, onDrainedAfterSkip) {
      const result: RoomWriteResult = { direct: 0, fallback: 0, skipped: 0 };
      const members = namespace.adapter.rooms.get(room);
      if (members === undefined || members.size === 0) return result;
      const first = namespace.sockets.get(members.values().next().value as string);
      if (path === 'public' || (first !== undefined && !verify(first))) {
        return publicWrite(namespace, room, event, payload, members.size);
      }
      // A copy: sockets may join or leave while we yield. A viewer that joins meanwhile reads a
      // snapshot taken after this change was committed, so it misses nothing.
      const ids = [...members];

      const encoded = namespace.server.encoder.encode({
        type: EVENT_PACKET,
        nsp: namespace.name,
        data: [event, payload],
      }) as unknown[];
      const frame = typeof encoded[0] === 'string' && encoded.length === 1 ? buildFrame(encoded[0]) : null;

      let sliceStarted = performance.now();
      let inSlice = 0;
      for (let i = 0; i < ids.length; i++) {
        if (
          inSlice === SLICE_SOCKETS ||
          (inSlice % BUDGET_CHECK_EVERY === 0 && sliceOver(inSlice, sliceStarted))
        ) {
          await nextTurn();
          sliceStarted = performance.now();
          inSlice = 0;
        }
        inSlice++;
        const socket = namespace.sockets.get(ids[i] as string);
        if (socket === undefined) continue;
        // The first WebSocket viewer is checked before it gets a direct write.
        const tcp = frame === null || !verify(socket) ? null : directTarget(socket);
        if (currentPath() === 'public') {
          // An internal went missing on this socket: the rest of the room goes the public way.
          // Sockets already written directly are skipped, so nobody gets the event twice.
          const rest = ids.slice(i).flatMap((id) => {
            const s = namespace.sockets.get(id);
            return s === undefined ? [] : [s];
          });
          for (const s of rest) s.emit(event, payload);
          result.fallback += rest.length;
          return result;
        }
        if (tcp === null) {
          // Not idle: an earlier ordinary write may be stuck behind a full TCP queue, and then
          // everything after it waits in Engine.IO's write buffer, so check the size here too.
          const stuck = slowWebSocket(socket);
          if (stuck !== null) {
            result.skipped++;
            awaitDrain(socket, stuck, room, onDrainedAfterSkip);
            continue;
          }
          (socket.client as unknown as ClientInternals).writeToEngine(encoded, { preEncoded: true });
          result.fallback++;
        } else if (tcp.writableLength > SLOW_VIEWER_BYTES) {
          result.skipped++;
          awaitDrain(socket, tcp, room, onDrainedAfterSkip);
        } else {
          tcp.write(frame as Buffer);
          result.direct++;
        }
      }
      return result;
    },
  };
}

/** Socket.IO's public path: one encode, every local socket of the room, no private field read. */
function publicWrite(
  namespace: Namespace,
  room: string,
  event: string,
  payload: unknown,
  viewers: number,
): RoomWriteResult {
  namespace.local.to(room).emit(event, payload);
  return { direct: 0, fallback: viewers, skipped: 0 };
}

let shared: RoomWriter | undefined;

/** `createRoomWriter().write` of one module-wide writer that falls back silently (tests, benches). */
export function writeToRoom(
  namespace: Namespace,
  room: string,
  event: string,
  payload: unknown,
  onDrainedAfterSkip: (socket: Socket) => void,
): Promise<RoomWriteResult> {
  shared ??= createRoomWriter();
  return shared.write(namespace, room, event, payload, onDrainedAfterSkip);
}

/** True when a slice that has written `written` sockets since `started` has used its time. */
function sliceOver(written: number, started: number): boolean {
  return written > 0 && performance.now() - started >= SLICE_MS;
}

/** Resolve after pending I/O callbacks have run (setImmediate runs after the poll phase). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `ws` exports its framer at runtime (socket.io-adapter uses it too); @types/ws leaves it out. */
const Sender = (ws as unknown as { Sender?: Partial<WsSender> }).Sender;
interface WsSender {
  frame(
    data: Buffer,
    options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): Buffer[];
}

/** One unmasked, final text frame holding the Engine.IO message, as a single buffer (one write). */
function buildFrame(socketIoPacket: string): Buffer {
  const data = Buffer.from(ENGINE_MESSAGE + socketIoPacket);
  return Buffer.concat(
    (Sender as WsSender).frame(data, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
  );
}

/** The viewer's TCP socket when nothing is queued above it, else null (use the ordinary path). */
function directTarget(socket: Socket): NetSocket | null {
  const conn = socket.conn as unknown as EngineSocketInternals;
  if (conn.readyState !== 'open' || conn.writeBuffer.length > 0) return null;
  const transport = conn.transport;
  if (transport.name !== 'websocket') return null;
  const websocket = transport.socket;
  const tcp = websocket?._socket;
  const sender = websocket?._sender;
  if (websocket?.readyState !== ws.WebSocket.OPEN || tcp === undefined || tcp.destroyed) return null;
  // ws queues frames only while compressing (not configured here); be safe if that ever changes.
  if (
    sender === undefined ||
    sender._state !== 0 ||
    !Array.isArray(sender._queue) ||
    sender._queue.length > 0
  ) {
    return null;
  }
  return tcp;
}

/**
 * A WebSocket viewer's TCP socket when more than SLOW_VIEWER_BYTES wait for it in user space (its
 * TCP write queue plus Engine.IO's write buffer), else null. String length stands in for bytes.
 */
function slowWebSocket(socket: Socket): NetSocket | null {
  const conn = socket.conn as unknown as EngineSocketInternals;
  if (conn.transport.name !== 'websocket') return null;
  const tcp = conn.transport.socket?._socket;
  if (tcp === undefined || tcp.destroyed) return null;
  let queued = tcp.writableLength;
  for (const packet of conn.writeBuffer as Array<{ data?: unknown }>) {
    if (typeof packet.data === 'string' || Buffer.isBuffer(packet.data)) queued += packet.data.length;
  }
  return queued > SLOW_VIEWER_BYTES ? tcp : null;
}

/**
 * Per skipped socket, what to call when it drains: one callback per room it was skipped in (the
 * latest), so a viewer skipped in two rooms — a board's deltas and the audience count — hears
 * from each once.
 */
const waitingForDrain = new WeakMap<Socket, Map<string, (socket: Socket) => void>>();

function awaitDrain(socket: Socket, tcp: NetSocket, room: string, onDrained: (socket: Socket) => void): void {
  const waiting = waitingForDrain.get(socket);
  if (waiting !== undefined) {
    waiting.set(room, onDrained);
    return;
  }
  waitingForDrain.set(socket, new Map([[room, onDrained]]));
  tcp.once('drain', () => {
    const callbacks = waitingForDrain.get(socket);
    waitingForDrain.delete(socket);
    if (!socket.connected || callbacks === undefined) return;
    for (const callback of callbacks.values()) callback(socket);
  });
}
