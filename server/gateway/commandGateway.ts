/**
 * The one path a command takes from any transport to the domain: the registry's schema → the
 * caller, authenticated (again) → the caller's limit for the command's rate class → the ContestService (which authorises
 * for the actor's role, validates against the set-up and persists) → the acknowledgement the
 * registry promises. /judge and /admin sockets (server/live/commandHandlers.ts) and
 * `POST /api/competitions/:id/commands/:name` (server/http/routes/competitions.ts) call it.
 */
import {
  commandNamesOn,
  commandRegistry,
  isCommandName,
  type CommandAck,
  type CommandNameOn,
  type CommandTransport,
  type RateClass,
} from '../../shared/commandRegistry.ts';
import type { CommandResult } from '../../shared/commandResults.ts';
import type { Command, CommandName } from '../../shared/commands.ts';
import { describeIssues } from '../../shared/model.ts';
import type { Actor } from '../domain/actor.ts';
import { PodiumError } from '../domain/errors.ts';

/** Who may call over each transport at all (which commands each role may send: the policy). */
const CALLERS: Record<CommandTransport, ReadonlyArray<Actor['kind']>> = {
  'judge-socket': ['judge'],
  'admin-socket': ['organiser'],
  http: ['organiser', 'integration', 'leader'],
};

export interface CommandGatewayDeps {
  /** Authorise, validate against the set-up and persist (the ContestService); throws PodiumError. */
  execute(actor: Actor, command: Command): Promise<CommandResult>;
  /** Count one request of each rate class for `actor`; throws rate_limited over the limit. */
  limits: { readonly [C in RateClass]: (actor: Actor) => Promise<void> };
}

export interface CommandCall<T extends CommandTransport, N extends CommandNameOn<T>> {
  transport: T;
  name: N;
  payload: unknown;
  /** The caller, asked after the payload parsed (a socket re-checks its session here). */
  actor: () => Promise<Actor>;
  /** What the transport checks of the parsed command besides its schema (HTTP: the URL's competition). */
  check?: (command: Command) => void;
}

/** Every command's acknowledgement is what the service answers (a command with another needs its own dispatch). */
type ServiceAnswered = { [N in CommandName]: CommandResult extends CommandAck<N> ? N : never }[CommandName];

/** Parse `payload` with the registry's schema for `name`; throws PodiumError('invalid_payload'). */
export function parseCommand(name: CommandName, payload: unknown): Command {
  const parsed = commandRegistry[name].schema.safeParse(payload);
  if (!parsed.success) throw new PodiumError('invalid_payload', describeIssues(parsed.error));
  // The registry keeps the name and its schema together; TypeScript cannot see that.
  return { name, payload: parsed.data } as Command;
}

/** `name` as a command that can arrive over `transport`, or not_found. */
export function commandOn<T extends CommandTransport>(transport: T, name: string): CommandNameOn<T> {
  if (!isCommandName(name) || !(commandNamesOn(transport) as readonly string[]).includes(name)) {
    throw new PodiumError('not_found', `no command "${name}"`);
  }
  return name as CommandNameOn<T>;
}

export class CommandGateway {
  constructor(private readonly deps: CommandGatewayDeps) {}

  /** Run one command for its caller; resolves with the registry's ack type, or throws PodiumError. */
  async run<T extends CommandTransport, N extends CommandNameOn<T> & ServiceAnswered>(
    call: CommandCall<T, N>,
  ): Promise<CommandAck<N>> {
    const command = parseCommand(call.name, call.payload);
    call.check?.(command);
    const actor = await call.actor();
    if (!CALLERS[call.transport].includes(actor.kind)) {
      throw new PodiumError('forbidden', `this needs an ${CALLERS[call.transport].join(' or ')}`);
    }
    await this.deps.limits[commandRegistry[call.name].rate](actor);
    const result = await this.deps.execute(actor, command);
    return result as CommandAck<N>;
  }
}
