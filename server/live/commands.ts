/** Socket write commands: `cmd:<name>` events, each validated, re-authenticated, limited and run. */
import type { AuthService } from '../auth/types.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { writeLimitKey } from '../domain/actor.ts';
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import { commandSchemas, type Command, type CommandName } from '../../shared/commands.ts';
import type { LiveService } from './ports.ts';
import { parseOrThrow } from './respond.ts';
import { currentActor } from './session.ts';
import type { GuardDeps, SocketGuard } from './socketGuard.ts';

export interface CommandDeps {
  service: LiveService;
  auth: AuthService;
  limits: RateLimits;
  metrics: PodiumMetrics;
  logger: Logger;
  /** The per-socket limits every namespace applies (socketGuard.ts). */
  guard: GuardDeps;
}

/** Parse a command payload by name; throws PodiumError('invalid_payload'). */
export function parseCommand(name: CommandName, payload: unknown): Command {
  return { name, payload: parseOrThrow(commandSchemas[name], payload) } as Command;
}

/**
 * Listen for `cmd:<name>` through `guard` for each of `names`. Order per command: the socket's
 * limits (guard) → validate → check the session again → the actor's write limit → execute
 * (authorise + persist) → ack. Broadcasts follow from the service's change events, so a rejected
 * command broadcasts nothing.
 */
export function registerCommands(guard: SocketGuard, names: readonly CommandName[], deps: CommandDeps): void {
  for (const name of names) {
    guard.request(
      `cmd:${name}`,
      'write',
      async ([payload]) => {
        const command = parseCommand(name, payload);
        const actor = await currentActor(guard.socket, deps.auth);
        await deps.limits.write(writeLimitKey(actor));
        return deps.service.execute(actor, command);
      },
      (response) => {
        deps.metrics.commands.inc({ command: name, result: response.ok ? 'ok' : response.code });
        if (!response.ok && response.code === 'unauthorized') guard.socket.disconnect(true);
      },
    );
  }
}
