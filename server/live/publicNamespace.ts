/** /public: spectators, big screens and overlays. Read-only: no write event exists here. */
import type { Logger } from '../logger.ts';
import { PodiumError } from '../domain/errors.ts';
import type { LiveService } from './ports.ts';
import type { AudienceCounter } from './audience.ts';
import type { PodiumIo } from './io.ts';
import { ackOf, parseOrThrow, respond } from './respond.ts';
import {
  MAX_BOARDS_PER_SOCKET,
  MAX_WATCHES_PER_SOCKET,
  boardRequestSchema,
  countRooms,
  watchSchema,
} from './requests.ts';
import { competitionRoom, publicBoardRoom } from './rooms.ts';
import { publicStage } from './visibility.ts';

/** Register the /public handlers. */
export function setupPublicNamespace(
  io: PodiumIo,
  service: LiveService,
  audience: AudienceCounter,
  logger: Logger,
): void {
  io.public.on('connection', (socket) => {
    const context = { ns: '/public', socket: socket.id };

    socket.on('competition:list', (ackArg: unknown) => {
      void respond(ackOf(ackArg), logger, context, async () => {
        const list = await service.listCompetitions();
        const competitions = await Promise.all(
          list.map(async (c) => ({ ...c, audience: await audience.total(c.id) })),
        );
        return { competitions };
      });
    });

    socket.on('competition:watch', (req: unknown, ackArg: unknown) => {
      void respond(ackOf(ackArg), logger, context, async () => {
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
      });
    });

    socket.on('board:subscribe', (req: unknown, ackArg: unknown) => {
      void respond(ackOf(ackArg), logger, context, async () => {
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
      });
    });

    socket.on('board:unsubscribe', (req: unknown) => {
      const parsed = boardRequestSchema.safeParse(req);
      if (parsed.success) void socket.leave(publicBoardRoom(parsed.data.competitionId, parsed.data.board));
    });
  });
}
