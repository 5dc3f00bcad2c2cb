/** Socket write commands: a `cmd:<name>` handler per command of a namespace, each through the command gateway. */
import type { Socket } from 'socket.io';
import type { AuthService } from '../auth/types.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { writeLimitKey } from '../domain/actor.ts';
import { CommandGateway } from '../gateway/commandGateway.ts';
import type { Logger } from '../logger.ts';
import type { PodiumMetrics } from '../metrics.ts';
import {
  commandRegistry,
  type CommandAck,
  type CommandNameOn,
  type CommandTransport,
} from '../../shared/commandRegistry.ts';
import type { RequestHandler } from './handlerTable.ts';
import type { LiveService } from './ports.ts';
import { currentActor } from './session.ts';
import type { GuardDeps } from './socketGuard.ts';

export interface CommandDeps {
  service: LiveService;
  auth: AuthService;
  limits: RateLimits;
  metrics: PodiumMetrics;
  logger: Logger;
  /** The per-socket limits every namespace applies (socketGuard.ts). */
  guard: GuardDeps;
}

/** The gateway of the socket transports: the service, and the actor's write limit. */
export function socketGateway(deps: CommandDeps): CommandGateway {
  return new CommandGateway({
    execute: (actor, command) => deps.service.execute(actor, command),
    limits: { write: (actor) => deps.limits.write(writeLimitKey(actor)) },
  });
}

/** The `cmd:<name>` handlers of a namespace's table. */
export type CommandHandlers<N extends string> = {
  [K in N as `cmd:${K}`]: RequestHandler<K extends keyof typeof commandRegistry ? CommandAck<K> : never>;
};

/**
 * A handler for `cmd:<name>` for each of `names`. Order per command: the socket's limits (guard,
 * by the registry's rate class) → the gateway (validate → check the session again → the actor's
 * write limit → execute) → ack. Broadcasts follow from the service's change events, so a rejected
 * command broadcasts nothing. An ended session disconnects the socket.
 */
export function commandHandlers<T extends CommandTransport, N extends CommandNameOn<T>>(
  transport: T,
  names: readonly N[],
  socket: Socket,
  gateway: CommandGateway,
  deps: Pick<CommandDeps, 'auth' | 'metrics'>,
): CommandHandlers<N> {
  const entries = names.map((name) => {
    const handler: RequestHandler<CommandAck<N>> = {
      kind: commandRegistry[name].rate,
      run: (payload) =>
        gateway.run({ transport, name, payload, actor: () => currentActor(socket, deps.auth) }),
      answered(response) {
        deps.metrics.commands.inc({ command: name, result: response.ok ? 'ok' : response.code });
        if (!response.ok && response.code === 'unauthorized') socket.disconnect(true);
      },
    };
    return [`cmd:${name}`, handler] as const;
  });
  return Object.fromEntries(entries) as CommandHandlers<N>;
}
