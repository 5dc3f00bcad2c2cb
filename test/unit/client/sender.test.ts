/**
 * The judge tablet's outbox sender (client/src/judge/sender.ts) against answers a server gives
 * during a restore. The outbox here keeps items in memory instead of the browser's IndexedDB.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Ack, CommandResult } from '../../../shared/events.ts';
import type { Outbox, OutboxItem, QueuedCommand } from '../../../client/src/judge/outbox.ts';
import { OutboxSender } from '../../../client/src/judge/sender.ts';

function memoryOutbox(): Outbox & { items: Map<string, OutboxItem> } {
  const items = new Map<string, OutboxItem>();
  return {
    items,
    put: async (item) => void items.set(item.opId, structuredClone(item)),
    list: async (judgeId) =>
      [...items.values()].filter((i) => i.judgeId === judgeId).sort((a, b) => a.createdAt - b.createdAt),
    remove: async (opId) => void items.delete(opId),
    close: () => undefined,
  };
}

const command: QueuedCommand = {
  name: 'marks.submit',
  payload: {
    opId: 'op-restoring-1',
    competitionId: 'c',
    eventId: 'e1',
    roundId: 'r1',
    contestantId: 'c1',
    marks: { q: '8' },
  },
};

describe('OutboxSender', () => {
  it('keeps a mark refused with "restoring" pending and sends it again, never marking it failed (issue #12)', async () => {
    const outbox = memoryOutbox();
    const answers: Array<Ack<CommandResult>> = [
      { ok: false, code: 'restoring', message: 'competition c is being restored' },
      { ok: true, logId: '7-0', duplicate: false },
    ];
    const sent: string[] = [];
    const accepted: string[] = [];
    const sender = new OutboxSender({
      outbox,
      judgeId: 'j1',
      send: async (c) => {
        sent.push(c.payload.opId);
        const answer = answers.shift();
        if (answer === undefined) throw new Error('no more answers');
        return answer;
      },
      canSend: () => true,
      onChange: () => undefined,
      onAccepted: (item) => accepted.push(item.opId),
      onUnauthorized: () => undefined,
    });
    try {
      await sender.enqueue(command);
      await vi.waitFor(() => expect(sent).toEqual(['op-restoring-1']));
      await vi.waitFor(() => expect(outbox.items.get('op-restoring-1')?.attempts).toBe(1));
      expect(outbox.items.get('op-restoring-1')).toMatchObject({ state: 'pending' });
      expect(outbox.items.get('op-restoring-1')?.error).toBeUndefined();
      // Sent again (the retry timer, or the connection coming back) with the same opId.
      sender.kick();
      await vi.waitFor(() => expect(accepted).toEqual(['op-restoring-1']));
      expect(sent).toEqual(['op-restoring-1', 'op-restoring-1']);
      expect(outbox.items.size).toBe(0);
    } finally {
      sender.stop();
    }
  });
});
