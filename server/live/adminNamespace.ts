/** /admin: organisers. Every command, staff (live) boards, the full set-up. */
import { commandNamesOn } from '../../shared/commandRegistry.ts';
import { PodiumError } from '../domain/errors.ts';
import type { AdminClientToServer } from '../../shared/events.ts';
import { commandHandlers, socketGateway, type CommandDeps } from './commands.ts';
import { serve } from './handlerTable.ts';
import type { PodiumIo } from './io.ts';
import { parseOrThrow } from './respond.ts';
import {
  MAX_BOARDS_PER_SOCKET,
  MAX_WATCHES_PER_SOCKET,
  boardRequestSchema,
  countRooms,
  watchSchema,
} from './requests.ts';
import { competitionRoom, staffBoardRoom } from './rooms.ts';
import { currentActor, requireSession } from './session.ts';
import { SocketGuard } from './socketGuard.ts';

const ADMIN_COMMANDS = commandNamesOn('admin-socket');

/** Register the /admin middleware and handlers. */
export function setupAdminNamespace(io: PodiumIo, deps: CommandDeps): void {
  const { service, auth } = deps;
  io.admin.use(requireSession(auth, ['organiser']));
  const gateway = socketGateway(deps);

  io.admin.on('connection', (socket) => {
    const guard = new SocketGuard(socket, '/admin', deps.guard);
    serve<AdminClientToServer>(guard, {
      ...commandHandlers('admin-socket', ADMIN_COMMANDS, socket, gateway, deps),

      'competition:watch': {
        kind: 'read',
        async run(req) {
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
        },
      },

      'board:subscribe': {
        kind: 'board',
        async run(req) {
          const { competitionId, board } = parseOrThrow(boardRequestSchema, req);
          await currentActor(socket, auth);
          const room = staffBoardRoom(competitionId, board);
          if (!socket.rooms.has(room) && countRooms(socket.rooms, 'staff:') >= MAX_BOARDS_PER_SOCKET) {
            throw new PodiumError('rate_limited', 'Too many boards on one connection');
          }
          await socket.join(room);
          return service.boardSnapshot(competitionId, board, 'staff');
        },
      },
    });
  });
}
