/** /judge: judges' and chief judges' tablets. Handshake `auth.token`; every message re-checks it. */
import { commandNamesOn } from '../../shared/commandRegistry.ts';
import { PodiumError } from '../domain/errors.ts';
import type { Actor } from '../domain/actor.ts';
import type { Logger } from '../logger.ts';
import type { JudgeClientToServer } from '../../shared/events.ts';
import { commandHandlers, socketGateway, type CommandDeps } from './commands.ts';
import { serve } from './handlerTable.ts';
import type { PodiumIo } from './io.ts';
import type { PresenceTracker } from './presence.ts';
import { parseOrThrow } from './respond.ts';
import { heartbeatSchema, sheetsRequestSchema } from './requests.ts';
import { chiefRoom, competitionRoom, judgeRoom } from './rooms.ts';
import { currentActor, requireSession } from './session.ts';
import { SocketGuard } from './socketGuard.ts';

/** The commands a judge's tablet may send (shared/commandRegistry.ts). */
export const JUDGE_COMMANDS = commandNamesOn('judge-socket');

/** Heartbeats closer together than this from one socket are ignored. */
const HEARTBEAT_MIN_GAP_MS = 1_000;

type JudgeActor = Extract<Actor, { kind: 'judge' }>;

/** Register the /judge middleware and handlers. */
export function setupJudgeNamespace(
  io: PodiumIo,
  deps: CommandDeps,
  presence: PresenceTracker,
  logger: Logger,
): void {
  const { service, auth } = deps;
  io.judge.use(requireSession(auth, ['judge']));
  const gateway = socketGateway(deps);

  /** The judge behind the socket and their entry in the set-up. */
  async function whoIs(actor: Actor) {
    if (actor.kind !== 'judge') throw new PodiumError('forbidden', 'Judges only');
    const competition = await service.getPublicCompetition(actor.competitionId);
    const judge = competition.judges.find((j) => j.id === actor.judgeId);
    if (!judge) throw new PodiumError('unauthorized', 'You are no longer a judge of this competition');
    return { actor, competition, judge };
  }

  io.judge.on('connection', (socket) => {
    const guard = new SocketGuard(socket, '/judge', deps.guard);
    const context = { ns: '/judge', socket: socket.id };
    const actor = socket.data.session?.actor as JudgeActor;
    let lastHeartbeat = 0;

    // Rooms: the competition (stage, control), this judge (sheets), chief rooms of their events.
    whoIs(actor)
      .then(async ({ judge }) => {
        const rooms = [competitionRoom(actor.competitionId), judgeRoom(actor.competitionId, actor.judgeId)];
        if (judge.role === 'chief')
          rooms.push(...judge.eventIds.map((e) => chiefRoom(actor.competitionId, e)));
        await socket.join(rooms);
      })
      .catch((err: unknown) => {
        logger.warn({ err, ...context }, 'judge socket set-up failed');
        socket.disconnect(true);
      });

    serve<JudgeClientToServer>(guard, {
      ...commandHandlers('judge-socket', JUDGE_COMMANDS, socket, gateway, deps),

      'judge:whoami': {
        kind: 'read',
        async run() {
          const { judge } = await whoIs(await currentActor(socket, auth));
          return { judge, competitionId: actor.competitionId };
        },
      },

      'judge:sheets': {
        kind: 'read',
        async run(req) {
          const { eventId, roundId } = parseOrThrow(sheetsRequestSchema, req);
          const { actor: now, competition } = await whoIs(await currentActor(socket, auth));
          // Without a round (first start on a tablet) only the context comes back, to choose one.
          const [lines, view, stages] = await Promise.all([
            roundId === undefined ? [] : service.judgeSheets(now, eventId, roundId),
            service.publicView(now.competitionId),
            service.stageStates(now.competitionId),
          ]);
          return { lines, competition, control: view.control, stages };
        },
      },

      'presence:heartbeat': {
        kind: 'notice',
        async notice(req) {
          const now = Date.now();
          if (now - lastHeartbeat < HEARTBEAT_MIN_GAP_MS) return;
          lastHeartbeat = now;
          const parsed = heartbeatSchema.safeParse(req);
          if (!parsed.success) return;
          try {
            const { judge } = await whoIs(await currentActor(socket, auth));
            if (!judge.eventIds.includes(parsed.data.eventId)) return;
            await presence.heartbeat(actor.competitionId, parsed.data.eventId, judge.id);
          } catch (err) {
            if (err instanceof PodiumError && err.code === 'unauthorized') socket.disconnect(true);
            else logger.warn({ err, ...context }, 'heartbeat failed');
          }
        },
      },
    });
  });
}
