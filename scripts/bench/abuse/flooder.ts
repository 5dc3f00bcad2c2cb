/**
 * One flooding client for `npm run abuse`, in its own process (so its busy loop never delays the
 * honest judges' clock): a raw WebSocket speaking the Engine.IO 4 / Socket.IO 5 text protocol,
 * which joins one namespace and then queues `frames` copies of one event as fast as `ws` takes
 * them — no client library throttles or buffers anything. Reports what came back over IPC.
 *   parent → { type: 'flood', ...FloodOrder }   child → { type: 'result', result: FloodResult }
 */
import WebSocket from 'ws';
import { now } from '../lib/clock.ts';

export interface FloodOrder {
  /** http://127.0.0.1:<port> */
  base: string;
  namespace: '/judge' | '/public' | '/admin';
  token?: string;
  event: string;
  args: unknown[];
  /** Ask for an acknowledgement on every frame (each gets its own ack id). */
  withAck: boolean;
  frames: number;
}

export interface FloodResult {
  /** Frames handed to the socket. */
  queued: number;
  /** Bytes the TCP socket actually wrote before the connection ended, and one frame's size. */
  bytesWritten: number;
  frameBytes: number;
  /** Acknowledgements by result ('ok' or the error code). */
  acks: Record<string, number>;
  /** limit:exceeded notices received, in order. */
  notices: Array<{ disconnecting: boolean; retryAfterMs: number }>;
  /** Milliseconds from the first frame to the server's Socket.IO disconnect packet; null if none came. */
  toldDisconnectAfterMs: number | null;
  /** Milliseconds from the first frame to the server closing the connection; null if it never did. */
  disconnectedAfterMs: number | null;
  /** Milliseconds it took to queue every frame. */
  queueMs: number;
}

/** How long to wait for the server to end the connection before giving up. */
const SETTLE_MS = 20_000;

function send(message: object): void {
  process.send?.(message);
}

async function flood(order: FloodOrder): Promise<FloodResult> {
  const url = `${order.base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  const ns = order.namespace;
  const acks: Record<string, number> = {};
  const notices: FloodResult['notices'] = [];
  let closedAt: number | null = null;
  let toldAt: number | null = null;
  const closed = new Promise<void>((resolve) =>
    ws.once('close', () => {
      closedAt = now();
      resolve();
    }),
  );
  const joined = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) {
        ws.send(`40${ns},${order.token ? JSON.stringify({ token: order.token }) : ''}`);
      } else if (text === '2') {
        ws.send('3');
      } else if (text.startsWith(`40${ns},`)) {
        resolve();
      } else if (text.startsWith(`41${ns},`)) {
        toldAt = now();
      } else if (text.startsWith(`44${ns},`)) {
        reject(new Error(`namespace refused: ${text}`));
      } else if (text.startsWith(`43${ns},`)) {
        const body = text.slice(text.indexOf('['));
        const [ack] = JSON.parse(body) as [{ ok: boolean; code?: string }];
        const key = ack.ok ? 'ok' : (ack.code ?? '?');
        acks[key] = (acks[key] ?? 0) + 1;
      } else if (text.startsWith(`42${ns},["limit:exceeded"`)) {
        const [, notice] = JSON.parse(text.slice(text.indexOf('['))) as [
          string,
          { disconnecting: boolean; retryAfterMs: number },
        ];
        notices.push({ disconnecting: notice.disconnecting, retryAfterMs: notice.retryAfterMs });
      }
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before joining')));
  });
  await joined;
  const body = JSON.stringify([order.event, ...order.args]);
  // ws keeps its net.Socket private; its byte count survives the close.
  const raw = (ws as unknown as { _socket: { bytesWritten: number } })._socket;
  const baseBytes = raw.bytesWritten;
  const started = now();
  let queued = 0;
  for (let i = 0; i < order.frames && ws.readyState === WebSocket.OPEN; i++) {
    ws.send(order.withAck ? `42${ns},${i}${body}` : `42${ns},${body}`);
    queued++;
  }
  const queueMs = now() - started;
  // Wait for the server to close the connection, or give up after a while (and close it ourselves).
  await Promise.race([closed, new Promise((r) => setTimeout(r, SETTLE_MS))]);
  const bytesWritten = raw.bytesWritten - baseBytes;
  const since = (t: number | null): number | null => (t === null ? null : Math.round(t - started));
  const disconnectedAfterMs = since(closedAt);
  const toldDisconnectAfterMs = since(toldAt);
  if (closedAt === null) ws.terminate();
  return {
    queued,
    bytesWritten,
    frameBytes: Buffer.byteLength(`42${ns},${body}`),
    acks,
    notices,
    toldDisconnectAfterMs,
    disconnectedAfterMs,
    queueMs: Math.round(queueMs),
  };
}

process.on('message', (m: { type: string } & FloodOrder) => {
  if (m.type !== 'flood') return;
  flood(m).then(
    (result) => send({ type: 'result', result }),
    (err: unknown) => send({ type: 'result', error: String(err) }),
  );
});
send({ type: 'hello' });
