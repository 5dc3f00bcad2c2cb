/** Shared set-up for the domain integration tests: real stores, a small demo competition, log counting. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Command } from '../../../shared/commands.ts';
import type { Competition } from '../../../shared/model.ts';
import type { Actor } from '../../../server/domain/actor.ts';
import { demoCompetition } from '../../../server/demo/demoCompetition.ts';
import { EmbeddedStore, MemoryStore, RedisStore, type Store } from '../../../server/store/index.ts';

export interface StoreKind {
  name: 'redis' | 'embedded' | 'memory';
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

/** Both stores: a RedisStore on the throwaway test server, an EmbeddedStore in a temp folder. */
export function storeKinds(redisUrl: string): StoreKind[] {
  return [
    {
      name: 'redis',
      open: () => {
        const store = new RedisStore(redisUrl);
        return Promise.resolve({ store, close: () => store.close() });
      },
    },
    {
      name: 'embedded',
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'podium-domain-'));
        const store = await EmbeddedStore.open(dir);
        return {
          store,
          close: async () => {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'memory',
      open: () => {
        const store = new MemoryStore();
        return Promise.resolve({ store, close: () => store.close() });
      },
    },
  ];
}

export const ORGANISER: Actor = { kind: 'organiser', id: 'test' };

/** A unique id for one test's competition. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** An opId that no other test uses. */
export function op(): string {
  return randomUUID();
}

/** A demo competition with few contestants under a unique id. */
export function smallCompetition(contestantsPerEvent = 6): Competition {
  return demoCompetition({ competitionId: uniqueId('dom'), contestantsPerEvent });
}

/** The judge actor of a set-up's judge. */
export function judgeActor(setup: Competition, judgeId: string): Actor {
  const judge = setup.judges.find((j) => j.id === judgeId);
  if (judge === undefined) throw new Error(`no judge ${judgeId}`);
  return { kind: 'judge', judgeId, competitionId: setup.id, role: judge.role };
}

/** Number of entries in a competition's log. */
export async function logLength(store: Store, competitionId: string): Promise<number> {
  let n = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.readLog(competitionId, after, 1000);
    n += page.length;
    if (page.length < 1000) return n;
    after = page.at(-1)?.id;
  }
}

/** Every board's rows, for before/after comparisons. */
export async function allBoards(store: Store, competitionId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const board of (await store.listBoards(competitionId)).sort()) {
    out[board] = await store.top(competitionId, board, 0, 10_000);
  }
  return out;
}

/** A setup.put command. */
export function putSetup(setup: Competition): Command {
  return { name: 'setup.put', payload: { opId: op(), competition: setup } };
}
