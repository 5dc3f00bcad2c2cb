/**
 * Type-level tests of the wire contract (checked by `tsc --noEmit` in `npm test` and by vitest):
 * a change to shared/events.ts or shared/commands.ts that breaks what the server and the clients
 * rely on fails the build here, with the name of the broken promise.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { CommandInput, CommandName } from '../../../shared/commands.ts';
import type {
  Ack,
  AdminClientToServer,
  AdminServerToClient,
  BoardDelta,
  CommandResult,
  ErrorCode,
  JudgeClientToServer,
  JudgeServerToClient,
  JudgeSheetLine,
  LimitNotice,
  PublicClientToServer,
  PublicServerToClient,
  PublicControl,
  StageState,
} from '../../../shared/events.ts';

type WriteEvents<T> = Extract<keyof T, `cmd:${string}`>;

describe('wire contract types', () => {
  it('offers no write event at all on the public namespace', () => {
    expectTypeOf<WriteEvents<PublicClientToServer>>().toEqualTypeOf<never>();
  });

  it('lets judges send sheet commands but never organiser commands', () => {
    expectTypeOf<JudgeClientToServer>().toHaveProperty('cmd:marks.submit');
    expectTypeOf<WriteEvents<JudgeClientToServer>>().not.toEqualTypeOf<`cmd:${CommandName}`>();
    expectTypeOf<'cmd:setup.put'>().not.toExtend<WriteEvents<JudgeClientToServer>>();
    expectTypeOf<'cmd:board.freeze'>().not.toExtend<WriteEvents<JudgeClientToServer>>();
  });

  it('gives organisers a typed event for every command', () => {
    expectTypeOf<WriteEvents<AdminClientToServer>>().toEqualTypeOf<`cmd:${CommandName}`>();
  });

  it('types a judge submit payload and its acknowledgement', () => {
    type Submit = JudgeClientToServer['cmd:marks.submit'];
    expectTypeOf<Parameters<Submit>[0]>().toEqualTypeOf<CommandInput<'marks.submit'>>();
    expectTypeOf<Parameters<Parameters<Submit>[1]>[0]>().toEqualTypeOf<Ack<CommandResult>>();
    expectTypeOf<CommandInput<'marks.submit'>>().toHaveProperty('opId').toEqualTypeOf<string>();
    // Marks may be sent as numbers or exact decimal strings.
    expectTypeOf<CommandInput<'marks.submit'>['marks'][string]>().toEqualTypeOf<string | number>();
  });

  it('makes an acknowledgement either a success or a coded error', () => {
    const handle = (ack: Ack<CommandResult>): string => (ack.ok ? ack.logId : ack.code);
    expectTypeOf(handle).returns.toEqualTypeOf<string>();
    expectTypeOf<Extract<Ack<CommandResult>, { ok: false }>['code']>().toEqualTypeOf<ErrorCode>();
  });

  it('gives the judge worklist its context: round states and who is on stage', () => {
    type Sheets = JudgeClientToServer['judge:sheets'];
    type Reply = Extract<Parameters<Parameters<Sheets>[1]>[0], { ok: true }>;
    expectTypeOf<Reply>().toHaveProperty('control').toEqualTypeOf<PublicControl>();
    expectTypeOf<Reply>().toHaveProperty('stages').toEqualTypeOf<StageState[]>();
    expectTypeOf<Reply>().toHaveProperty('lines').toEqualTypeOf<JudgeSheetLine[]>();
    // A first start asks without a round, to learn which rounds there are.
    expectTypeOf<{ eventId: string }>().toExtend<Parameters<Sheets>[0]>();
  });

  it('carries both versions in a board delta so clients can detect a gap', () => {
    expectTypeOf<BoardDelta>().toHaveProperty('prev').toEqualTypeOf<number>();
    expectTypeOf<BoardDelta>().toHaveProperty('version').toEqualTypeOf<number>();
  });

  it('tells every namespace when a connection sends too much, and whether it is being cut off', () => {
    type Notice = Parameters<PublicServerToClient['limit:exceeded']>[0];
    expectTypeOf<Notice>().toEqualTypeOf<LimitNotice>();
    expectTypeOf<Parameters<JudgeServerToClient['limit:exceeded']>[0]>().toEqualTypeOf<LimitNotice>();
    expectTypeOf<Parameters<AdminServerToClient['limit:exceeded']>[0]>().toEqualTypeOf<LimitNotice>();
    expectTypeOf<LimitNotice['code']>().toEqualTypeOf<'rate_limited'>();
    expectTypeOf<LimitNotice['code']>().toExtend<ErrorCode>();
    expectTypeOf<LimitNotice>().toHaveProperty('retryAfterMs').toEqualTypeOf<number>();
    expectTypeOf<LimitNotice>().toHaveProperty('disconnecting').toEqualTypeOf<boolean>();
  });
});
