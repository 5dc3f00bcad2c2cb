/**
 * The room writer without the private engine.io / ws / socket.io fields it relies on (as after an
 * upgrade that renames one): each internal in turn is made "missing", and real viewers — WebSocket
 * and long-polling socket.io-client over loopback — must still get every message once, in order,
 * through Socket.IO's public path, with the missing field reported once.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Namespace, Socket as ServerSocket } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIo, type PodiumIo } from '../../../server/live/io.ts';
import {
  INTERNALS,
  createRoomWriter,
  type Internal,
  type RoomWriteResult,
} from '../../../server/live/roomWriter.ts';
import { BOARD, closeSockets, collect, connected } from './fixtures.ts';

let http: HttpServer;
let io: PodiumIo;
let url: string;
let spectators: Namespace;

beforeAll(async () => {
  http = createServer();
  io = createIo(http, []);
  spectators = io.public as unknown as Namespace;
  spectators.on('connection', (socket: ServerSocket) => {
    const room = (socket.handshake.auth as Record<string, unknown>)['room'];
    if (typeof room === 'string') void socket.join(room);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await io.server.close();
});
afterEach(() => closeSockets());

let rooms = 0;
function freshRoom(): string {
  rooms += 1;
  return `public:fallback-${rooms}:${BOARD}`;
}

const MESSAGES = 20;
const ignoreDrain = (): void => undefined;

/** Three WebSocket viewers and one long-polling viewer in a fresh room; `MESSAGES` writes to it. */
async function writeAll(writer: ReturnType<typeof createRoomWriter>): Promise<{
  seen: number[][];
  total: RoomWriteResult;
}> {
  const room = freshRoom();
  const transports = ['polling', 'websocket', 'websocket', 'websocket'] as const;
  const clients = [];
  for (const transport of transports) {
    clients.push(await connected(url, '/public', { transports: [transport], auth: { room } }));
  }
  const seen = clients.map((c) => collect<number>(c, 'n'));
  const total: RoomWriteResult = { direct: 0, fallback: 0, skipped: 0 };
  for (let n = 0; n < MESSAGES; n++) {
    const one = await writer.write(spectators, room, 'n', n, ignoreDrain);
    total.direct += one.direct;
    total.fallback += one.fallback;
    total.skipped += one.skipped;
  }
  await vi.waitFor(() => expect(seen.every((s) => s.length >= MESSAGES)).toBe(true), { timeout: 15_000 });
  return { seen, total };
}

const everyMessage = Array.from({ length: MESSAGES }, (_, n) => n);

describe('room writer fallback (regression: private engine.io/ws fields were used unchecked)', () => {
  it('uses the direct path when every internal is there, and reports nothing', async () => {
    const onPublicPath = vi.fn();
    const writer = createRoomWriter({ onPublicPath });
    const { seen, total } = await writeAll(writer);
    for (const s of seen) expect(s).toEqual(everyMessage);
    expect(total.direct).toBeGreaterThan(0);
    expect(writer.path).toBe('direct');
    expect(onPublicPath).not.toHaveBeenCalled();
  });

  it.each(INTERNALS.map((name) => [name]))(
    'without %s every viewer still gets every message, in order, through the public path',
    async (name: Internal) => {
      const onPublicPath = vi.fn();
      const writer = createRoomWriter({ onPublicPath, assumeMissing: [name] });
      const { seen, total } = await writeAll(writer);
      for (const s of seen) expect(s).toEqual(everyMessage);
      expect(total.direct).toBe(0);
      expect(writer.path).toBe('public');
      expect(onPublicPath.mock.calls).toEqual([[name]]);
    },
  );
});

describe('the engine versions the room writer relies on', () => {
  it('pins socket.io, engine.io and ws exactly, with the one ws engine.io uses (regression: ws 8.23 at the top, 8.21 under engine.io)', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of ['socket.io', 'engine.io', 'ws']) {
      expect(manifest.dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    }
    const wsOfEngine = createRequire(require.resolve('engine.io')).resolve('ws');
    expect(wsOfEngine).toBe(require.resolve('ws'));
  });
});
