/** /admin: organisers. Every command, staff (live) boards, the full set-up. */
import { commandSchemas, type CommandName } from '../../shared/commands.ts';
import { PodiumError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { registerCommands, type CommandDeps } from './commands.ts';
import type { PodiumIo } from './io.ts';
import { ackOf, parseOrThrow, respond } from './respond.ts';
import {
  MAX_BOARDS_PER_SOCKET,
  MAX_WATCHES_PER_SOCKET,
  boardRequestSchema,
  countRooms,
  watchSchema,
} from './requests.ts';
import { competitionRoom, staffBoardRoom } from './rooms.ts';
import { currentActor, requireSession } from './session.ts';

const ALL_COMMANDS = Object.keys(commandSchemas) as CommandName[];

/** Register the /admin middleware and handlers. */
export function setupAdminNamespace(io: PodiumIo, deps: CommandDeps, logger: Logger): void {
  const { service, auth } = deps;
  io.admin.use(requireSession(auth, ['organiser']));

  io.admin.on('connection', (socket) => {
    const context = { ns: '/admin', socket: socket.id };
    registerCommands(socket, ALL_COMMANDS, deps);

    socket.on('competition:watch', (req: unknown, ackArg: unknown) => {
      void respond(ackOf(ackArg), logger, context, async () => {
        const { competitionId } = parseOrThrow(watchSchema, req);
        const actor = await currentActor(socket, auth);
        const [competition, control, stages] = await Promise.all([
          service.getCompetition(actor, competitionId),
          service.publicView(competitionId).then((v) => v.control),
          service.stageStates(competitionId),
        ]);
        const room = competitionRoom(competitionId);
        if (
          !socket.rooms.has(room) &&
          countRooms(socket.rooms, competitionRoom('')) >= MAX_WATCHES_PER_SOCKET
        ) {
          throw new PodiumError('rate_limited', 'Too many competitions watched on one connection');
        }
        await socket.join(room);
        return { competition, control, stages };
      });
    });

    socket.on('board:subscribe', (req: unknown, ackArg: unknown) => {
      void respond(ackOf(ackArg), logger, context, async () => {
        const { competitionId, board } = parseOrThrow(boardRequestSchema, req);
        await currentActor(socket, auth);
        const room = staffBoardRoom(competitionId, board);
        if (!socket.rooms.has(room) && countRooms(socket.rooms, 'staff:') >= MAX_BOARDS_PER_SOCKET) {
          throw new PodiumError('rate_limited', 'Too many boards on one connection');
        }
        await socket.join(room);
        return service.boardSnapshot(competitionId, board, 'staff');
      });
    });
  });
}
