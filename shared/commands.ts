/**
 * Every write Podium accepts: its name, its strict payload schema and the types derived from them.
 * The list itself is shared/commandRegistry.ts. Socket events and HTTP routes parse their payload
 * with these at the boundary (server/gateway); the domain (server/domain) executes the parsed
 * command for an actor. Every command carries a client-generated `opId`: repeating it returns the
 * first result.
 */
import type { z } from 'zod';
import { commandRegistry, type CommandRegistry } from './commandRegistry.ts';

export * from './commandSchemas.ts';

/** Name → payload schema of every command, from the registry. */
export const commandSchemas = Object.fromEntries(
  Object.entries(commandRegistry).map(([name, spec]) => [name, spec.schema]),
) as { readonly [N in keyof CommandRegistry]: CommandRegistry[N]['schema'] };

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<N extends CommandName> = z.input<(typeof commandSchemas)[N]>;
export type CommandPayload<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;
/** A parsed command: its name and its validated payload. */
export type Command = { [N in CommandName]: { name: N; payload: CommandPayload<N> } }[CommandName];
