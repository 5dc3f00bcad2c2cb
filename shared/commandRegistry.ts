/**
 * The one list of commands. Each entry says everything the transports and the policy need to know
 * about a command besides its effect: its payload schema (shared/commandSchemas.ts), what its
 * acknowledgement carries, where it may be sent, who may send it, and how it is limited. The wire
 * types (shared/events.ts), the policy's role checks (server/domain/policy.ts), the socket handler
 * tables (server/live) and the HTTP command route (server/http/routes/competitions.ts) are derived
 * from it. Adding a command: an entry here, its pure effect in server/domain, its row in docs/API.md.
 */
import type { z } from 'zod';
import type { CommandResult } from './commandResults.ts';
import {
  addDeductionSchema,
  appealDeadlineSchema,
  decideAppealSchema,
  drawConfirmSchema,
  drawDecodeSchema,
  drawMakeSchema,
  fileAppealSchema,
  qualifiersSchema,
  setDisplaySchema,
  signSheetSchema,
  correctMarkSchema,
  enterMeasuredSchema,
  finalizeSchema,
  freezeSchema,
  lockSheetSchema,
  putSetupSchema,
  removeDeductionSchema,
  revealStepSchema,
  setEmbargoSchema,
  setFinishSchema,
  setOnStageSchema,
  setOutcomeSchema,
  setRoundStateSchema,
  submitMarksSchema,
} from './commandSchemas.ts';

/** Where a command can arrive: `cmd:<name>` on /judge or /admin, or `POST …/commands/<name>`. */
export type CommandTransport = 'judge-socket' | 'admin-socket' | 'http';

/** Who may send a command (the policy checks it for the actor behind any transport). */
export type CommandRole = 'judge' | 'chief' | 'organiser' | 'integration' | 'leader';

/**
 * How a command is limited: 'write' is the socket's write budget (server/live/socketBudgets.ts) and
 * the actor's writes per second (server/auth/rate-limits.ts), over either transport.
 */
export type RateClass = 'write';

/** HTTP body limit of a command: 'json' (256 KiB by default) or 'large' (a whole set-up, 5 MiB). */
export type BodyLimit = 'json' | 'large';

/** Which pure operation runs it: a sheet change (sheetOps.ts), the control state, or the set-up. */
export type CommandFamily = 'sheet' | 'control' | 'setup';

declare const ackResult: unique symbol;
/** A type carried by a value: what the acknowledgement of a command holds besides `ok: true`. */
export interface AckType<T> {
  readonly [ackResult]?: T;
}

/** The acknowledgement type `T` of a command (only its type matters). */
export function acknowledges<T extends object>(): AckType<T> {
  return {};
}

export interface CommandSpec {
  schema: z.ZodType;
  ack: AckType<object>;
  family: CommandFamily;
  transports: readonly CommandTransport[];
  roles: readonly CommandRole[];
  rate: RateClass;
  body: BodyLimit;
}

const everywhere = ['judge-socket', 'admin-socket', 'http'] as const;
const staffOnly = ['admin-socket', 'http'] as const;
const result = acknowledges<CommandResult>();

/** A chief judge's or an organiser's sheet command, which integrations may also send. */
const deviceSheetCommand = { family: 'sheet', transports: everywhere, rate: 'write', body: 'json' } as const;
const chiefSheetCommand = {
  ...deviceSheetCommand,
  ack: result,
  roles: ['chief', 'organiser'],
} as const;
const integrationSheetCommand = {
  ...deviceSheetCommand,
  ack: result,
  roles: ['chief', 'organiser', 'integration'],
} as const;
const organiserCommand = {
  family: 'control',
  ack: result,
  transports: staffOnly,
  roles: ['organiser'],
  rate: 'write',
  body: 'json',
} as const;

export const commandRegistry = {
  'marks.submit': {
    schema: submitMarksSchema,
    ack: result,
    family: 'sheet',
    // An organiser's socket and the HTTP route have the event too; the policy refuses them.
    transports: everywhere,
    roles: ['judge', 'chief'],
    rate: 'write',
    body: 'json',
  },
  'measured.enter': { schema: enterMeasuredSchema, ...integrationSheetCommand },
  'deduction.add': { schema: addDeductionSchema, ...integrationSheetCommand },
  'deduction.remove': { schema: removeDeductionSchema, ...integrationSheetCommand },
  'mark.correct': { schema: correctMarkSchema, ...chiefSheetCommand },
  'outcome.set': { schema: setOutcomeSchema, ...integrationSheetCommand },
  'finish.set': { schema: setFinishSchema, ...integrationSheetCommand },
  'sheet.lock': { schema: lockSheetSchema, ...chiefSheetCommand },
  'setup.put': { schema: putSetupSchema, ...organiserCommand, family: 'setup', body: 'large' },
  'round.state': { schema: setRoundStateSchema, ...organiserCommand },
  'stage.set': { schema: setOnStageSchema, ...organiserCommand },
  'board.freeze': { schema: freezeSchema, ...organiserCommand },
  'board.reveal': { schema: revealStepSchema, ...organiserCommand },
  'round.finalize': { schema: finalizeSchema, ...organiserCommand },
  'event.embargo': { schema: setEmbargoSchema, ...organiserCommand },
  'display.set': { schema: setDisplaySchema, ...organiserCommand },
  // Official results (docs/RULES.md): the chief judge signs; the organiser acts as arbitration.
  'sheet.sign': { schema: signSheetSchema, ...chiefSheetCommand, roles: ['chief'] },
  // Filed by the organiser on the team's behalf, or by the team's leader (HTTP, with the team's code).
  'appeal.file': {
    schema: fileAppealSchema,
    ...deviceSheetCommand,
    ack: result,
    transports: staffOnly,
    roles: ['organiser', 'leader'],
  },
  'appeal.decide': {
    schema: decideAppealSchema,
    ...deviceSheetCommand,
    ack: result,
    transports: staffOnly,
    roles: ['organiser'],
  },
  'appeal.deadline': { schema: appealDeadlineSchema, ...organiserCommand },
  'round.qualifiers': { schema: qualifiersSchema, ...organiserCommand },
  // Anonymised events (docs/RULES.md §13, "Anonymised judging"): the organiser draws and asks to decode, the chief confirms.
  'draw.make': { schema: drawMakeSchema, ...organiserCommand },
  'draw.decode': { schema: drawDecodeSchema, ...organiserCommand },
  'draw.confirm': {
    schema: drawConfirmSchema,
    ...organiserCommand,
    transports: everywhere,
    roles: ['chief'],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandRegistry = typeof commandRegistry;
type Name = keyof CommandRegistry;

/** What the acknowledgement of command `N` carries besides `ok: true`. */
export type CommandAck<N extends Name> = CommandRegistry[N]['ack'] extends AckType<infer T> ? T : never;

/** The commands that can arrive over `transport`. */
export type CommandNameOn<T extends CommandTransport> = {
  [N in Name]: T extends CommandRegistry[N]['transports'][number] ? N : never;
}[Name];

/** The commands of one family. */
export type CommandNameOf<F extends CommandFamily> = {
  [N in Name]: CommandRegistry[N]['family'] extends F ? N : never;
}[Name];

const names = Object.keys(commandRegistry) as Name[];

/** True when `name` is a command (any transport). */
export function isCommandName(name: string): name is Name {
  return Object.hasOwn(commandRegistry, name);
}

/** The commands that can arrive over `transport`, in registry order. */
export function commandNamesOn<T extends CommandTransport>(transport: T): ReadonlyArray<CommandNameOn<T>> {
  return names.filter((n) =>
    (commandRegistry[n].transports as readonly CommandTransport[]).includes(transport),
  ) as Array<CommandNameOn<T>>;
}

/** The commands of `family`, in registry order. */
export function commandNamesOf<F extends CommandFamily>(family: F): ReadonlyArray<CommandNameOf<F>> {
  return names.filter((n) => commandRegistry[n].family === family) as Array<CommandNameOf<F>>;
}

/** True when `role` may send command `name` (the policy also checks the target: event, round, lock). */
export function roleMaySend(role: CommandRole, name: Name): boolean {
  return (commandRegistry[name].roles as readonly CommandRole[]).includes(role);
}
