/**
 * Issue #11 item 5: socket handlers are typed tables (server/live/handlerTable.ts) whose result type
 * is the event's acknowledgement in shared/events.ts, and commands acknowledge what the registry
 * (shared/commandRegistry.ts) says. A handler answering the wrong ack, or a namespace missing a
 * handler, fails `tsc` here (regression: acks were wired by hand and never type-checked).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { CommandAck, CommandNameOn } from '../../../shared/commandRegistry.ts';
import type {
  AdminClientToServer,
  BoardSnapshot,
  CommandResult,
  JudgeClientToServer,
  JudgeSession,
  PublicClientToServer,
} from '../../../shared/events.ts';
import type {
  AckResultOf,
  HandlerTable,
  NoticeEventOf,
  RequestHandler,
} from '../../../server/live/handlerTable.ts';
import type { CommandHandlers } from '../../../server/live/commands.ts';

const session: JudgeSession = {
  judge: { id: 'j1', name: 'Judge', role: 'judge', eventIds: ['weld'] },
  competitionId: 'c1',
};

describe('typed socket handler tables', () => {
  it('takes the result type of a request handler from the event it answers', () => {
    expectTypeOf<AckResultOf<JudgeClientToServer['judge:whoami']>>().toEqualTypeOf<JudgeSession>();
    expectTypeOf<AckResultOf<PublicClientToServer['board:subscribe']>>().toEqualTypeOf<BoardSnapshot>();
    expectTypeOf<HandlerTable<JudgeClientToServer>['judge:whoami']>().toEqualTypeOf<
      RequestHandler<JudgeSession>
    >();
    expectTypeOf<NoticeEventOf<JudgeClientToServer>>().toEqualTypeOf<'presence:heartbeat'>();
    expectTypeOf<NoticeEventOf<PublicClientToServer>>().toEqualTypeOf<'board:unsubscribe'>();
  });

  it('accepts a handler answering the event ack', () => {
    const whoami: HandlerTable<JudgeClientToServer>['judge:whoami'] = {
      kind: 'read',
      run: () => Promise.resolve(session),
    };
    expectTypeOf(whoami.run).returns.toEqualTypeOf<Promise<JudgeSession>>();
  });

  it('refuses a handler answering another ack', () => {
    const wrong: HandlerTable<JudgeClientToServer>['judge:whoami'] = {
      kind: 'read',
      // @ts-expect-error judge:whoami acknowledges a JudgeSession, not a board snapshot
      run: () => Promise.resolve({ competitionId: 'c1', board: 'weld|r1|all', version: 1 }),
    };
    const missingField: HandlerTable<PublicClientToServer>['competition:list'] = {
      kind: 'read',
      // @ts-expect-error competition:list acknowledges { competitions }, not a bare list
      run: () => Promise.resolve([]),
    };
    expectTypeOf(wrong).not.toBeAny();
    expectTypeOf(missingField).not.toBeAny();
  });

  it('refuses a namespace table without a handler for one of its events', () => {
    // @ts-expect-error board:unsubscribe has no handler
    const incomplete: HandlerTable<PublicClientToServer> = {
      'competition:list': { kind: 'read', run: () => Promise.resolve({ competitions: [] }) },
      'competition:watch': { kind: 'read', run: () => Promise.reject(new Error('unused')) },
      'board:subscribe': { kind: 'read', run: () => Promise.reject(new Error('unused')) },
    };
    expectTypeOf(incomplete).not.toBeAny();
  });

  it('types every command handler with the ack the registry gives the command', () => {
    type Judge = CommandHandlers<CommandNameOn<'judge-socket'>>;
    expectTypeOf<Judge['cmd:marks.submit']>().toEqualTypeOf<RequestHandler<CommandAck<'marks.submit'>>>();
    expectTypeOf<CommandAck<'marks.submit'>>().toEqualTypeOf<CommandResult>();
    expectTypeOf<Judge>().toExtend<
      Pick<HandlerTable<JudgeClientToServer>, `cmd:${CommandNameOn<'judge-socket'>}`>
    >();
    expectTypeOf<CommandHandlers<CommandNameOn<'admin-socket'>>>().toExtend<
      Pick<HandlerTable<AdminClientToServer>, `cmd:${CommandNameOn<'admin-socket'>}`>
    >();
    const wrongCommand: Judge['cmd:sheet.lock'] = {
      kind: 'write',
      // @ts-expect-error a command acknowledges a CommandResult (logId, duplicate), not a session
      run: () => Promise.resolve(session),
    };
    expectTypeOf(wrongCommand).not.toBeAny();
  });
});
