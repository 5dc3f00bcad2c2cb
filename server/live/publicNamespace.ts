/** /public: spectators, big screens and overlays. Read-only: no write event exists here. */
import type { PublicClientToServer } from '../../shared/events.ts';
import { PodiumError } from '../domain/errors.ts';
import type { LiveService } from './ports.ts';
import type { AudienceCounter } from './audience.ts';
import { sharedHandlers } from './handlerTable.ts';
import type { PodiumIo, PublicSocket } from './io.ts';
import { parseOrThrow } from './respond.ts';
import { SocketGuard, type GuardDeps } from './socketGuard.ts';
import {
  MAX_BOARDS_PER_SOCKET,
  MAX_WATCHES_PER_SOCKET,
  boardRequestSchema,
  countRooms,
  watchSchema,
} from './requests.ts';
import { competitionRoom, publicBoardRoom } from './rooms.ts';
import { publicStage } from '../domain/visibility.ts';

/** Register the /public handlers. */
export function setupPublicNamespace(
  io: PodiumIo,
  service: LiveService,
  audience: AudienceCounter,
  guardDeps: GuardDeps,
): void {
  // Made once: every spectator's guard shares these (no closures per socket; thousands connect).
  const handlers = sharedHandlers<PublicClientToServer, PublicSocket>({
    'competition:list': {
      kind: 'read',
      async run() {
        const list = await service.listCompetitions();
        const competitions = await Promise.all(
          list.map(async (c) => ({ ...c, audience: await audience.total(c.id) })),
        );
        return { competitions };
      },
    },

    'competition:watch': {
      kind: 'read',
      async run(socket, req) {
        const { competitionId } = parseOrThrow(watchSchema, req);
        const [competition, view, stages] = await Promise.all([
          service.getPublicCompetition(competitionId),
          service.publicView(competitionId),
          service.stageStates(competitionId),
        ]);
        const { control } = view;
        const room = competitionRoom(competitionId);
        if (
          !socket.rooms.has(room) &&
          countRooms(socket.rooms, competitionRoom('')) >= MAX_WATCHES_PER_SOCKET
        ) {
          throw new PodiumError('rate_limited', 'Too many competitions watched on one connection');
        }
        await socket.join(room);
        return { competition, control, stages: stages.map((s) => publicStage(s, control)) };
      },
    },

    'board:subscribe': {
      kind: 'board',
      async run(socket, req) {
        const { competitionId, board } = parseOrThrow(boardRequestSchema, req);
        const room = publicBoardRoom(competitionId, board);
        if (!socket.rooms.has(room) && countRooms(socket.rooms, 'pub:') >= MAX_BOARDS_PER_SOCKET) {
          throw new PodiumError('rate_limited', 'Too many boards on one connection');
        }
        // Join before reading: a delta committed meanwhile arrives and is dropped by version.
        await socket.join(room);
        try {
          return await service.boardSnapshot(competitionId, board, 'public');
        } catch (err) {
          await socket.leave(room);
          throw err;
        }
      },
    },

    'board:unsubscribe': {
      kind: 'notice',
      async notice(socket, req) {
        const parsed = boardRequestSchema.safeParse(req);
        if (parsed.success) await socket.leave(publicBoardRoom(parsed.data.competitionId, parsed.data.board));
      },
    },
  });

  io.public.on('connection', (socket) => {
    new SocketGuard(socket, '/public', guardDeps, handlers);
  });
}
