/** Shared set-up for the live tests: a small competition, socket clients and waiting helpers. */
import { randomUUID } from 'node:crypto';
import { io as connect, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Actor } from '../../../server/domain/actor.ts';
import type { ContestService } from '../../../server/domain/service.ts';
import type { Command } from '../../../shared/commands.ts';
import type { Ack, BoardDelta, StageState } from '../../../shared/events.ts';
import { stagesFrom, withStage, type StageMap } from '../../../shared/stages.ts';
import { competitionSchema, type CompetitionInput } from '../../../shared/model.ts';

export const ORGANISER: Actor = { kind: 'organiser', id: 'admin' };
/** The round board every test watches. */
export const BOARD = 'e1|r1|individual';

/** A unique competition id, so tests sharing one Redis never meet. */
export function uniqueCompetitionId(): string {
  return `live-${randomUUID().slice(0, 8)}`;
}

export function opId(): string {
  return `op-${randomUUID()}`;
}

/** One event, one round, `contestants` contestants (c1…), judges j1 and j2 and a chief judge. */
export function competitionInput(id: string, contestants = 3): CompetitionInput {
  return {
    id,
    name: `Live test ${id}`,
    events: [
      {
        id: 'e1',
        name: 'Welding',
        criteria: [{ id: 'q', label: 'Quality', max: 100, step: 0.5 }],
        scoring: { aggregation: { kind: 'mean' }, decimals: 2 },
        rounds: [{ id: 'r1', name: 'Final', kind: 'final', mode: 'onsite' }],
      },
    ],
    contestants: Array.from({ length: contestants }, (_, i) => ({
      id: `c${i + 1}`,
      eventId: 'e1',
      bib: `B${i + 1}`,
      name: `Contestant ${i + 1}`,
      organisation: 'Org',
      region: 'North',
    })),
    judges: [
      { id: 'j1', name: 'Judge One', role: 'judge', eventIds: ['e1'] },
      { id: 'chief', name: 'Chief', role: 'chief', eventIds: ['e1'] },
    ],
  };
}

/** Create the competition and open its round, as an organiser, through the service. */
export async function seedCompetition(service: ContestService, id: string, contestants = 3): Promise<void> {
  const competition = competitionSchema.parse(competitionInput(id, contestants));
  await service.execute(ORGANISER, { name: 'setup.put', payload: { opId: opId(), competition } } as Command);
  await service.execute(ORGANISER, {
    name: 'round.state',
    payload: { opId: opId(), competitionId: id, eventId: 'e1', roundId: 'r1', state: 'open' },
  });
}

/** A marks.submit payload for one contestant. */
export function marks(competitionId: string, contestantId: string, q: number | string, id = opId()) {
  return { opId: id, competitionId, eventId: 'e1', roundId: 'r1', contestantId, marks: { q } };
}

const sockets: Socket[] = [];

/** Connect a socket.io client to a namespace (websocket only) and wait for the connection. */
export async function connected(
  url: string,
  namespace: '/public' | '/judge' | '/admin',
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<Socket> {
  const socket = connect(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

/** A socket that is expected to be refused: resolves with the connect_error message. */
export function refused(
  url: string,
  namespace: '/public' | '/judge' | '/admin',
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<string> {
  const socket = connect(`${url}${namespace}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected but should have been refused')));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

/** Close every client opened by the helpers. */
export function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

/** Emit with an acknowledgement and resolve with it (rejects after `ms`). */
export function request<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  ...args: unknown[]
): Promise<Ack<T>> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

/** Collect every payload of `event` on `socket`. */
export function collect<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** Resolve with the first payload of `event` that satisfies `match` (rejects after `ms`). */
export function next<T>(
  socket: Socket,
  event: string,
  match: (p: T) => boolean = () => true,
  ms = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const handler = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(payload);
    };
    socket.on(event, handler);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The delta's row for a contestant. */
export function rowOf(delta: BoardDelta, id: string) {
  return delta.rows.find((r) => r.id === id);
}

/** A screen: watches the competition and keeps its stages as the pages do (shared/stages.ts). */
export async function stageScreen(
  url: string,
  competitionId: string,
): Promise<{ socket: Socket; stages: () => StageMap }> {
  const socket = await connected(url, '/public');
  const watch = await request<{ stages: StageState[] }>(socket, 'competition:watch', { competitionId });
  if (!watch.ok) throw new Error(`watch failed: ${watch.code}`);
  let stages = stagesFrom(watch.stages);
  socket.on('stage:update', (s: StageState) => (stages = withStage(stages, s)));
  return { socket, stages: () => stages };
}
