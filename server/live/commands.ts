/** Socket write commands: `cmd:<name>` events, each validated, re-authenticated, limited and run. */
import type { Socket } from 'socket.io';
import type { AuthService } from '../auth/types.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { actorLabel } from '../domain/actor.ts';
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import { commandSchemas, type Command, type CommandName } from '../../shared/commands.ts';
import type { LiveService } from './ports.ts';
import { ackOf, parseOrThrow, respond } from './respond.ts';
import { currentActor } from './session.ts';

export interface CommandDeps {
  service: LiveService;
  auth: AuthService;
  limits: RateLimits;
  metrics: PodiumMetrics;
  logger: Logger;
}

/** Parse a command payload by name; throws PodiumError('invalid_payload'). */
export function parseCommand(name: CommandName, payload: unknown): Command {
  return { name, payload: parseOrThrow(commandSchemas[name], payload) } as Command;
}

/**
 * Listen for `cmd:<name>` on `socket` for each of `names`. Order per command: validate → check the
 * session again → rate-limit → execute (authorise + persist) → ack. Broadcasts follow from the
 * service's change events, so a rejected command broadcasts nothing.
 */
export function registerCommands(socket: Socket, names: readonly CommandName[], deps: CommandDeps): void {
  for (const name of names) {
    socket.on(`cmd:${name}`, (payload: unknown, ackArg: unknown) => {
      void respond(ackOf(ackArg), deps.logger, { command: name, socket: socket.id }, async () => {
        const command = parseCommand(name, payload);
        const actor = await currentActor(socket, deps.auth);
        await deps.limits.write(actorLabel(actor));
        return deps.service.execute(actor, command);
      }).then((response) => {
        deps.metrics.commands.inc({ command: name, result: response.ok ? 'ok' : response.code });
        if (!response.ok && response.code === 'unauthorized') socket.disconnect(true);
      });
    });
  }
}
